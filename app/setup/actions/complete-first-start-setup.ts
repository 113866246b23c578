"use server";

import { redirect } from "next/navigation";
import { SetupInput } from "@/lib/auth/schemas";
import { DomainError } from "@/lib/db/errors";
import { completeSetup } from "@/lib/server/account-service";
import { getAppContext } from "@/lib/server/app-context";
import { readClientAddress } from "@/lib/server/client-address";
import { startSession } from "@/lib/server/session-cookie";
import { formStateOfZodError, textValuesOf, type FormState } from "../../_components/form-state";

/** First start: the built-in owner and team get their real details, and the owner is signed in. */
export async function completeFirstStartSetup(_previous: FormState, formData: FormData): Promise<FormState> {
  const values = textValuesOf(formData, ["name", "email", "teamName", "setupCode"]);
  const parsed = SetupInput.safeParse({ ...values, password: formData.get("password") ?? "" });
  if (!parsed.success) return formStateOfZodError(parsed.error, values);
  const { db, defaults, setupCode } = await getAppContext();
  let session: { userId: string; teamId: string };
  try {
    const origin = { clientAddress: await readClientAddress(), setupCode };
    session = await completeSetup(db.client, { ownerId: defaults.owner.id, teamId: defaults.team.id }, parsed.data, origin);
  } catch (error) {
    if (error instanceof DomainError) return { message: error.message, fieldErrors: error.fieldErrors, values };
    throw error;
  }
  await startSession(session.userId, session.teamId);
  redirect("/library");
}
