"use server";

import { redirect } from "next/navigation";
import { SignUpWithInviteInput } from "@/lib/auth/schemas";
import { DomainError } from "@/lib/db/errors";
import { signUpWithInvite } from "@/lib/server/account-service";
import { getAppContext } from "@/lib/server/app-context";
import { startSession } from "@/lib/server/session-cookie";
import { formStateOfZodError, textValuesOf, type FormState } from "../../../_components/form-state";

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
