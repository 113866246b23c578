/**
 * Shared pieces of the runner benchmarks: a migrated SQLite database with a
 * plan version to run against, timing helpers and the markdown table.
 */
import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PlanDocument, type PlanDocumentInput } from "../lib/plan/schema";
import { createZygoteSpawner } from "../lib/runner/spawner/process-spawner";
import { createSandboxLauncher } from "../lib/runner/sandbox/bubblewrap";
import { createUncontainedLauncher, type CommandLauncher } from "../lib/runner/sandbox/run-commands";
import { createPrismaRunStore } from "../lib/db/run-store";
import { toJsonColumn } from "../lib/db/json";
import { createRunnerResources, type RunnerResources } from "../lib/runner/resources";
import type { RunOwnership } from "../lib/runner/runs";
import { createTestDatabase, type TestDatabase } from "../lib/testing/test-database";

const benchHelperDirectory = path.join(os.tmpdir(), "batchboard-bench-bin");

/** How the benchmark's commands start: in a bubblewrap sandbox per run, or uncontained (BATCHBOARD_SANDBOX=off). */
export function benchCommands(sandboxed: boolean): CommandLauncher {
  const stateDirectory = path.join(os.tmpdir(), "batchboard-bench-runs");
  if (sandboxed) return createSandboxLauncher({ helperCacheDirectory: benchHelperDirectory, stateDirectory });
  return createUncontainedLauncher({
    spawner: createZygoteSpawner({ nativeCacheDir: benchHelperDirectory }),
    homesDirectory: stateDirectory,
  });
}

/** A fresh SQLite database, runner resources on it and a stored version of `input`. */
export async function benchDatabase(input: PlanDocumentInput, concurrency: number, sandboxed = false) {
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
    commands: benchCommands(sandboxed),
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

/** Milliseconds per clock tick of /proc's CPU times (USER_HZ, 100 on Linux). */
const TICK_MS = 10;

/** User + system CPU of a process from /proc/<pid>/stat: its own and its reaped children's, in ms. */
function procCpu(pid: number | "self"): { own: number; children: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name (which may contain spaces): utime is the 12th.
  const fields = stat
    .slice(stat.lastIndexOf(")") + 2)
    .split(" ")
    .map(Number);
  return { own: ((fields[11] ?? 0) + (fields[12] ?? 0)) * TICK_MS, children: ((fields[13] ?? 0) + (fields[14] ?? 0)) * TICK_MS };
}

/** CPU time (ms) used by this process's exited children, e.g. `make` with every command it ran, once make has exited. */
export function reapedChildrenCpuMs(): number {
  return procCpu("self").children;
}

/**
 * CPU time (ms) used so far by this process (every thread: the scheduler, the
 * store's worker) and by its helpers (the spawner's zygote, live or reaped
 * with its sandbox), the commands a live helper has reaped counted apart.
 * Linux only.
 */
export function runnerCpuMs(): { server: number; helpers: number; commands: number } {
  const usage = process.cpuUsage();
  let helpers = 0;
  let commands = 0;
  for (const thread of readdirSync("/proc/self/task")) {
    let children: string;
    try {
      children = readFileSync(`/proc/self/task/${thread}/children`, "utf8");
    } catch {
      continue;
    }
    for (const pid of children.split(" ").filter(Boolean).map(Number)) {
      try {
        const cpu = procCpu(pid);
        helpers += cpu.own;
        commands += cpu.children;
      } catch {
        // Gone meanwhile.
      }
    }
  }
  // A run's sandbox is reaped when the run ends: its helper and commands count here.
  const reaped = procCpu("self").children;
  return { server: (usage.user + usage.system) / 1000, helpers: helpers + reaped, commands };
}
