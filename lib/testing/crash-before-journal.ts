/**
 * A runner process for the crash tests: it runs the plan it is given on a
 * real database, with flushes held back as if the process died before they
 * reached the store: with `hold` "file-changes" (the default) every flush
 * that carries file changes hangs, right after the files were written and
 * before the journal was stored; with "everything" no flush after the run's
 * creation is stored, so all the store will know of the run is what recovery
 * reads from its logs; with "nothing" it flushes as any runner does. The
 * test SIGKILLs it.
 *
 *   tsx lib/testing/crash-before-journal.ts '{"databaseUrl", "directory", "changeLogDirectory", "ownership", "plan", "hold"?}'
 *   tsx lib/testing/crash-before-journal.ts @input.json   (a plan too big for the command line)
 */
import { readFileSync } from "node:fs";
import { openDatabase } from "../db/client";
import { parseDatabaseUrl } from "../db/database-config";
import { createPrismaRunStore } from "../db/run-store";
import { PlanDocument } from "../plan/schema";
import { createRunnerResources } from "../runner/resources";
import type { PersistBatch } from "../runner/run-store";
import { startRun, type RunOwnership } from "../runner/runs";

const argument = process.argv[2] ?? "{}";
const input = JSON.parse(argument.startsWith("@") ? readFileSync(argument.slice(1), "utf8") : argument) as {
  databaseUrl: string;
  directory: string;
  changeLogDirectory: string;
  ownership: RunOwnership;
  plan: unknown;
  hold?: "file-changes" | "everything" | "nothing";
};
const database = await openDatabase(parseDatabaseUrl(input.databaseUrl));
const store = createPrismaRunStore(database.client);
const holds: Record<NonNullable<typeof input.hold>, (batch: PersistBatch) => boolean> = {
  "file-changes": (batch) => batch.fileChanges.length > 0,
  everything: () => true,
  nothing: () => false,
};
const held = holds[input.hold ?? "file-changes"];
const resources = createRunnerResources({
  store: {
    ...store,
    persist: (batch) => (held(batch) ? new Promise<void>(() => undefined) : store.persist(batch)),
  },
  changeLogDirectory: input.changeLogDirectory,
  limits: { flushIntervalMs: 10 },
});
const handle = await startRun(resources, { ...input.ownership, plan: PlanDocument.parse(input.plan), directory: input.directory });
process.stdout.write(`run ${handle.runId}\n`);
