"use server";

import * as z from "zod";
import { revokeApiToken as revoke } from "@/lib/db/api-tokens";
import { defineAction } from "@/lib/server/action-client";

/** People revoke their own tokens; someone else's token reads as missing. */
export const revokeApiToken = defineAction(
  { input: z.object({ tokenId: z.string().min(1) }), permission: "plan:read" },
  async ({ tokenId }, { app, caller }) => revoke(app.db.client, caller.userId, tokenId),
);
