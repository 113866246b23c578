"use server";

import { redirect } from "next/navigation";
import { endSession } from "@/lib/server/session-cookie";

/** Ends this browser's session (the row is deleted, so a copied cookie is useless too). */
export async function signOut(): Promise<void> {
  await endSession();
  redirect("/sign-in");
}
