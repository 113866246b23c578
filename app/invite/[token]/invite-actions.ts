"use server";

import { redirect } from "next/navigation";
import { SignUpWithInviteInput } from "@/lib/auth/schemas";
import { DomainError } from "@/lib/db/errors";
import { joinWithInvite, signUpWithInvite } from "@/lib/server/account-service";
import { getAppContext } from "@/lib/server/app-context";
import { findSessionCaller } from "@/lib/server/caller";
import { startSession, switchSessionTeam } from "@/lib/server/session-cookie";
import { formStateOfZodError, textValuesOf, type FormState } from "../../sign-in/form-state";

/** A new person: create the account, join the team, sign in. */
export async function signUpFromInvite(_previous: FormState, formData: FormData): Promise<FormState> {
  const values = textValuesOf(formData, ["token", "name", "email"]);
  const parsed = SignUpWithInviteInput.safeParse({ ...values, password: formData.get("password") ?? "" });
  if (!parsed.success) return formStateOfZodError(parsed.error, values);
  const { db } = await getAppContext();
  let joined: { userId: string; teamId: string };
  try {
    joined = await signUpWithInvite(db.client, parsed.data);
  } catch (error) {
    if (error instanceof DomainError) return { message: error.message, fieldErrors: error.fieldErrors, values };
    throw error;
  }
  await startSession(joined.userId, joined.teamId);
  redirect("/library");
}

/** A signed-in person joins the invitation's team and switches to it. */
export async function joinFromInvite(_previous: FormState, formData: FormData): Promise<FormState> {
  const caller = await findSessionCaller();
  if (!caller) return { message: "Sign in first" };
  const { db } = await getAppContext();
  try {
    const joined = await joinWithInvite(db.client, caller.userId, String(formData.get("token") ?? ""));
    await switchSessionTeam(joined.teamId);
  } catch (error) {
    if (error instanceof DomainError) return { message: error.message };
    throw error;
  }
  redirect("/library");
}
