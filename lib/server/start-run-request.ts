/** What starting a run of a stored plan takes: one schema for the server action, the API body and the run service. */
import * as z from "zod";
import { RunConcurrency } from "../plan/schema";

const Id = z.string().min(1).max(100);

export const StartRunRequest = z.object({
  planId: Id.describe("Run a stored plan…"),
  versionNumber: z.number().int().positive().optional().describe("…at this version (the newest when left out)"),
  workspaceId: Id.optional().describe("A registered workspace of the team; a fresh scratch directory when left out"),
  dryRun: z.boolean().default(false).describe("Plan and report without changing any file or running any command"),
  concurrency: z.optional(RunConcurrency).describe("Overrides the plan's concurrency for this run"),
});
/** What callers send: `dryRun` may be left out. */
export type StartRunRequest = z.input<typeof StartRunRequest>;
