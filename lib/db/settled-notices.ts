/**
 * PostgreSQL's word that a run's final state is stored. The flush that
 * writes a run's final status notifies {@link SETTLED_CHANNEL} in the same
 * statement (postgres-writes.ts), so the notice leaves exactly when that
 * commit lands, from whichever process wrote it (a worker; a web server that
 * cancelled a run no worker took), and never for a write that failed. A
 * cluster web server listens (settled-notice-listener.ts): callers waiting
 * for runs need no subscription and no read, and no hop through the
 * writer's main thread and Redis.
 */
import * as z from "zod";
import { RunStatus } from "../run-events/run-events";

export const SETTLED_CHANNEL = "batchboard_run_settled";

export const SettledNotice = z.object({ runId: z.string().min(1), status: RunStatus });
export type SettledNotice = z.infer<typeof SettledNotice>;

/** A notice's payload (PostgreSQL allows ~8,000 bytes; a run id and a status take ~60). */
export function settledNoticePayload(notice: SettledNotice): string {
  return JSON.stringify(notice);
}
