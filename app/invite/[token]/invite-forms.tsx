"use client";

import { useActionState } from "react";
import { FormField } from "../../_components/form-field";
import type { FormState } from "../../_components/form-state";
import { joinFromInvite } from "./actions/join-from-invite";
import { signUpFromInvite } from "./actions/sign-up-from-invite";

function FormMessage({ state }: { state: FormState }) {
  return state.message ? (
    <p role="alert" className="form-error">
      {state.message}
    </p>
  ) : null;
}

export function SignUpFromInviteForm({ token }: { token: string }) {
  const [state, submit, pending] = useActionState<FormState, FormData>(signUpFromInvite, {});
  return (
    <form action={submit} className="card auth-form" aria-label="Create your account">
      <input type="hidden" name="token" value={token} />
      <FormField name="name" label="Your name" autoComplete="name" state={state} />
      <FormField name="email" label="Email" type="email" autoComplete="username" state={state} />
      <FormField name="password" label="Password (8 characters or more)" type="password" autoComplete="new-password" state={state} />
      <FormMessage state={state} />
      <button type="submit" className="button button-primary" disabled={pending}>
        Create account and join
      </button>
    </form>
  );
}

export function JoinFromInviteForm({ token, teamName }: { token: string; teamName: string }) {
  const [state, submit, pending] = useActionState<FormState, FormData>(joinFromInvite, {});
  return (
    <form action={submit} className="card auth-form" aria-label="Join team">
      <input type="hidden" name="token" value={token} />
      <FormMessage state={state} />
      <button type="submit" className="button button-primary" disabled={pending}>
        Join {teamName}
      </button>
    </form>
  );
}
