/**
 * A new run's row as both engines' one-statement inserts take it
 * (sqlite-run-writer.ts, postgres-writes.ts), each with its own encoding of
 * flags and times. Kept apart from run-store.ts, which loads Prisma's
 * runtime that the CLI's SQLite path does without.
 */
import type { NewRun } from "../runner/run-store";

/**
 * The values of `id`, teamId, planId, planVersionId, workspaceId, directory,
 * settings, dryRun, startedById, parentRunId and createdAt (now), in that order.
 */
export function newRunRowValues(
  id: string,
  input: NewRun,
  encode: { flag(value: boolean): unknown; time(value: Date): unknown },
): unknown[] {
  return [
    id,
    input.teamId,
    input.planId,
    input.planVersionId,
    input.workspaceId ?? null,
    input.directory,
    JSON.stringify(input.settings),
    encode.flag(input.dryRun),
    input.startedById,
    input.parentRunId ?? null,
    encode.time(new Date()),
  ];
}
