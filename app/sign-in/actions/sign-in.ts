"use server";

import { redirect } from "next/navigation";
import { safeNextPath, SignInInput } from "@/lib/auth/schemas";
import { signInWithPassword } from "@/lib/server/account-service";
import { getAppContext } from "@/lib/server/app-context";
import { readClientAddress } from "@/lib/server/client-address";
import { startSession } from "@/lib/server/session-cookie";
import { getSignInLimiters } from "@/lib/server/sign-in-limiter";
import { formStateOfZodError, textValuesOf, type FormState } from "../../_components/form-state";

/** Signs in with email and password; failures are rate limited per email and per client address. */
export async function signIn(_previous: FormState, formData: FormData): Promise<FormState> {
  const values = textValuesOf(formData, ["email", "next"]);
  const parsed = SignInInput.safeParse({ ...values, password: formData.get("password") ?? "" });
  if (!parsed.success) return formStateOfZodError(parsed.error, values);
  const { db } = await getAppContext();
  const outcome = await signInWithPassword(db.client, getSignInLimiters(), parsed.data, await readClientAddress());
  if (!outcome.ok) return { message: outcome.message, values };
  await startSession(outcome.userId);
  redirect(safeNextPath(parsed.data.next));
}
