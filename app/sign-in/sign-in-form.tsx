"use client";

import { useActionState } from "react";
import { FormField } from "../_components/form-field";
import type { FormState } from "../_components/form-state";
import { signIn } from "./actions/sign-in";

export function SignInForm({ next }: { next?: string }) {
  const [state, submit, pending] = useActionState<FormState, FormData>(signIn, {});
  return (
    <form action={submit} className="card auth-form" aria-label="Sign in">
      {next ? <input type="hidden" name="next" value={next} /> : null}
      <FormField name="email" label="Email" type="email" autoComplete="username" state={state} />
      <FormField name="password" label="Password" type="password" autoComplete="current-password" state={state} />
      {state.message ? (
        <p role="alert" className="form-error">
          {state.message}
        </p>
      ) : null}
      <button type="submit" className="button button-primary" disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
