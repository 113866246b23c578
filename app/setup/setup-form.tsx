"use client";

import { useActionState } from "react";
import { FormField } from "../_components/form-field";
import type { FormState } from "../_components/form-state";
import { completeFirstStartSetup } from "./actions/complete-first-start-setup";

export function SetupForm({ teamName, needsCode }: { teamName: string; needsCode: boolean }) {
  const [state, submit, pending] = useActionState<FormState, FormData>(completeFirstStartSetup, { values: { teamName } });
  return (
    <form action={submit} className="card auth-form" aria-label="Set up Batchboard">
      <FormField name="name" label="Your name" autoComplete="name" state={state} />
      <FormField name="email" label="Email" type="email" autoComplete="username" state={state} />
      <FormField name="password" label="Password (8 characters or more)" type="password" autoComplete="new-password" state={state} />
      <FormField name="teamName" label="Team name" state={state} />
      {needsCode ? (
        <FormField name="setupCode" label="Setup code (printed by the server when it started)" autoComplete="off" state={state} />
      ) : null}
      {state.message ? (
        <p role="alert" className="form-error">
          {state.message}
        </p>
      ) : null}
      <button type="submit" className="button button-primary" disabled={pending}>
        {pending ? "Setting up…" : "Create owner account"}
      </button>
    </form>
  );
}
