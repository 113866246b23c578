/**
 * A runner process for the change-log crash test: it runs the plan it is
 * given on a real database, but every flush that carries file changes hangs,
 * as if the process died right after writing the files and before storing
 * the journal. The test SIGKILLs it there.
 *
 *   tsx lib/testing/crash-before-journal.ts '{"databaseUrl", "directory", "changeLogDirectory", "ownership", "plan"}'
 */
import { openDatabase } from "../db/client";
import { parseDatabaseUrl } from "../db/database-config";
import { createPrismaRunStore } from "../db/run-store";
import { PlanDocument } from "../plan/schema";
import { createRunnerResources } from "../runner/resources";
import { startRun, type RunOwnership } from "../runner/runs";

const input = JSON.parse(process.argv[2] ?? "{}") as {
  databaseUrl: string;
  directory: string;
  changeLogDirectory: string;
  ownership: RunOwnership;
  plan: unknown;
};
const database = await openDatabase(parseDatabaseUrl(input.databaseUrl));
const store = createPrismaRunStore(database.client);
const resources = createRunnerResources({
  store: {
    ...store,
    persist: (batch) => (batch.fileChanges.length ? new Promise<void>(() => undefined) : store.persist(batch)),
  },
  changeLogDirectory: input.changeLogDirectory,
  limits: { flushIntervalMs: 10 },
});
const handle = await startRun(resources, { ...input.ownership, plan: PlanDocument.parse(input.plan), directory: input.directory });
process.stdout.write(`run ${handle.runId}\n`);
