/**
 * Shared pieces of the runner benchmarks: a migrated SQLite database with a
 * plan version to run against, timing helpers and the markdown table.
 */
import os from "node:os";
import path from "node:path";
import { PlanDocument, type PlanDocumentInput } from "../lib/plan/schema";
import { createZygoteSpawner } from "../lib/runner/spawner/process-spawner";
import { createPrismaRunStore } from "../lib/db/run-store";
import { toJsonColumn } from "../lib/db/json";
import { createRunnerResources, type RunnerResources } from "../lib/runner/resources";
import type { RunOwnership } from "../lib/runner/runs";
import { createTestDatabase, type TestDatabase } from "../lib/testing/test-database";

/** A fresh SQLite database, runner resources on it and a stored version of `input`. */
export async function benchDatabase(input: PlanDocumentInput, concurrency: number) {
  const document = PlanDocument.parse(input);
  const db: TestDatabase = await createTestDatabase("sqlite");
  const team = await db.client.team.create({ data: { name: "Bench", slug: "bench" } });
  const user = await db.client.user.create({ data: { email: "bench@x.test", name: "Bench" } });
  const plan = await db.client.plan.create({ data: { teamId: team.id, ownerId: user.id, name: document.name, latestVersion: 1 } });
  const version = await db.client.planVersion.create({
    data: { planId: plan.id, number: 1, graph: toJsonColumn(document), graphHash: "bench", authorId: user.id },
  });
  const resources: RunnerResources = createRunnerResources({
    store: createPrismaRunStore(db.client),
    spawner: createZygoteSpawner({ nativeCacheDir: path.join(os.tmpdir(), "batchboard-bench-bin") }),
    serverConcurrency: concurrency,
    // Sub-millisecond event times, for scheduling latency.
    clock: { now: () => performance.timeOrigin + performance.now() },
  });
  const ownership: RunOwnership = { teamId: team.id, planId: plan.id, planVersionId: version.id, startedById: user.id };
  return { db, document, resources, ownership };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** Prints a markdown table. */
export function printTable(header: string[], rows: Array<Array<string | number>>): void {
  console.log(`| ${header.join(" | ")} |`);
  console.log(`| ${header.map(() => "---").join(" | ")} |`);
  for (const row of rows) console.log(`| ${row.join(" | ")} |`);
}

export const ms = (value: number) => `${value.toFixed(0)} ms`;
