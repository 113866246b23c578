"use server";

import { redirect } from "next/navigation";
import { DomainError } from "@/lib/db/errors";
import { joinWithInvite } from "@/lib/server/account-service";
import { getAppContext } from "@/lib/server/app-context";
import { findSessionCaller } from "@/lib/server/caller";
import { switchSessionTeam } from "@/lib/server/session-cookie";
import type { FormState } from "../../../_components/form-state";

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
