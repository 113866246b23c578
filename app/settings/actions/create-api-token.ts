"use server";

import * as z from "zod";
import { ApiTokenName } from "@/lib/auth/schemas";
import { defineAction } from "@/lib/server/action-client";
import { issueApiToken } from "@/lib/server/team-admin";

/** Any member may create tokens for themselves; a token acts with its owner's current role. */
export const createApiToken = defineAction(
  { input: z.object({ name: ApiTokenName }), permission: "plan:read" },
  async ({ name }, { app, caller }) => issueApiToken(app.db.client, caller, name),
);
