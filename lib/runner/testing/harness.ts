/** Test helpers: temporary workspaces and runs against an in-memory store. */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PlanDocument, type PlanDocumentInput } from "../../plan/schema";
import { createMemoryRunStore } from "../memory-run-store";
import { createRunnerResources, type RunnerResources } from "../resources";
import type { RunEvent } from "../../run-events/run-events";
import type { RunnerLimits } from "../limits";
import { startRun, type StartRunOptions } from "../runs";
import { openWorkspace } from "../workspace";
import { FileJournal, type FileChangeRecord } from "../journal";
import { createOverlayFileSystem, diskFileSystem } from "../file-system";
import { DEFAULT_RUNNER_LIMITS } from "../limits";
import { createZygoteSpawner } from "../spawner/process-spawner";
import { createUncontainedLauncher, type CommandLauncher } from "../sandbox/run-commands";
import { WorkspaceSandboxSettings } from "../sandbox/sandbox-settings";
import type { BackgroundProcess, ExecutorContext, ExecutorEvent } from "../executors/types";

/** A temporary directory, removed by `cleanup`. */
export function temporaryDirectory(prefix = "batchboard-ws-"): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A plan from a partial document. */
export function plan(input: Omit<PlanDocumentInput, "name"> & { name?: string }): PlanDocument {
  return PlanDocument.parse({ name: "test", ...input });
}

/** Resources over a memory store whose every plan version is looked up in `plans`. */
export function memoryResources(
  limits: Partial<RunnerLimits> = {},
  commands?: CommandLauncher,
): RunnerResources & { plans: Map<string, PlanDocument>; events: RunEvent[] } {
  const plans = new Map<string, PlanDocument>();
  const store = createMemoryRunStore((id) => {
    const found = plans.get(id);
    if (!found) throw new Error(`No plan ${id}`);
    return found;
  });
  const events: RunEvent[] = [];
  const resources = createRunnerResources({
    store,
    commands,
    limits: { flushIntervalMs: 5, killGraceMs: 300, ...limits },
    reportError: (error) => {
      throw error;
    },
  });
  resources.bus.subscribe("*", (event) => events.push(event));
  return Object.assign(resources, { plans, events });
}

/** Runs a plan in `directory` on memory resources and waits for the outcome. */
export async function runPlan(
  resources: ReturnType<typeof memoryResources>,
  document: PlanDocument,
  directory: string,
  options: Partial<StartRunOptions> = {},
) {
  const versionId = `v${resources.plans.size + 1}`;
  resources.plans.set(versionId, document);
  const handle = await startRun(resources, {
    teamId: "t",
    planId: "p",
    planVersionId: versionId,
    startedById: "u",
    plan: document,
    directory,
    ...options,
  });
  return { handle, outcome: await handle.done };
}

/** Uncontained, as a test of the runner's own semantics; sandbox.test.ts runs commands through the sandbox. */
const testCommands = createUncontainedLauncher({
  spawner: createZygoteSpawner(),
  homesDirectory: path.join(os.tmpdir(), "batchboard-test-homes"),
}).openRun({
  runId: `executor-tests-${process.pid}`,
  workspaceRoot: os.tmpdir(),
  settings: WorkspaceSandboxSettings.parse({}),
  concurrency: 1,
});

/** An executor context on a real workspace; `changes` collects committed journal records. */
export async function executorContext(
  directory: string,
  options: { dryRun?: boolean; limits?: Partial<RunnerLimits>; signal?: AbortSignal; ripgrepPath?: string | null } = {},
) {
  const workspace = openWorkspace(directory);
  const changes: FileChangeRecord[] = [];
  const journal = new FileJournal(options.dryRun ? createOverlayFileSystem() : diskFileSystem, workspace, (records) =>
    changes.push(...records),
  );
  const scope = journal.scope();
  const output: ExecutorEvent[] = [];
  const kept: BackgroundProcess[] = [];
  const ctx: ExecutorContext = {
    nodeId: "n",
    signal: options.signal ?? new AbortController().signal,
    workspace,
    files: scope.forNode("n"),
    upstream: new Map(),
    emit: (event) => output.push(event),
    keepProcess: (process) => kept.push(process),
    dryRun: options.dryRun ?? false,
    limits: { ...DEFAULT_RUNNER_LIMITS, killGraceMs: 300, ...options.limits },
    commands: testCommands,
    ripgrepPath: options.ripgrepPath === undefined ? null : options.ripgrepPath,
  };
  return { ctx, scope, changes, output, kept };
}
