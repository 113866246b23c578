/** The CLI's commands that run plans and change runs; each returns the process exit code. */
import path from "node:path";
import { stat } from "node:fs/promises";
import type { ExecutionPlan } from "../plan/execution-plan";
import type { PlanDocument } from "../plan/schema";
import { loadRunReport } from "../runner/build-run-report";
import type { RunEvent } from "../run-events/run-events";
import type { RunHandle, RunOutcome } from "../runner/scheduler";
import { recoverInterruptedRuns } from "../runner/recovery";
import { planExecution, resumeRun, retryFailedNodes, retryNode, startRun } from "../runner/runs";
import { undoRun } from "../runner/undo";
import { loadEnv } from "../env";
import { createCliCommandLauncher, openCliContext, recordPlanVersion, type CliContext, type CliContextParts } from "./cli-database";
import { startEarlySandbox } from "./early-sandbox";
import { ProgressView, runSummaryLine } from "./progress-view";
import { formatProblem, readPlanFile } from "./read-plan";
import { EXIT, type Out } from "./exit-codes";

/** Options of `run`. */
export interface RunCommandOptions {
  workspace: string;
  concurrency?: number;
  dryRun: boolean;
  json: boolean;
  keepBackground: boolean;
}

/** `run plan.json --workspace DIR` */
export async function runCommand(file: string, options: RunCommandOptions, out: Out): Promise<number> {
  const result = await readPlanFile(file);
  if (!result.ok) {
    for (const problem of result.problems) process.stderr.write(`✗ ${formatProblem(problem)}\n`);
    return EXIT.usage;
  }
  const directory = path.resolve(options.workspace);
  if (!(await stat(directory).catch(() => null))?.isDirectory()) {
    process.stderr.write(`Workspace ${directory} is not a directory\n`);
    return EXIT.usage;
  }
  return runNewPlan(result.plan, directory, options, out);
}

/**
 * Records `plan` as a version of the team's plan of its name, runs it in
 * `directory` and follows it ({@link follow}, `extra` beside its report).
 * The run's sandbox starts first, while the database opens.
 */
export async function runNewPlan(
  plan: PlanDocument,
  directory: string,
  options: RunCommandOptions,
  out: Out,
  extra: Record<string, unknown> = {},
): Promise<number> {
  const executionPlan = planExecution(plan);
  const env = loadEnv();
  const commands = createCliCommandLauncher(env);
  const sandbox = startEarlySandbox(commands, plan, directory, options);
  try {
    return await withContext(
      async (context) => {
        const ownership = await recordPlanVersion(context, plan);
        const start = () =>
          startRun(context.resources, {
            ...ownership,
            runId: sandbox?.runId,
            plan,
            executionPlan,
            directory,
            dryRun: options.dryRun,
            concurrency: options.concurrency,
            keepBackground: options.keepBackground,
          });
        return follow(context, plan, executionPlan, options.json, out, start, extra);
      },
      { env, commands },
    );
  } finally {
    sandbox?.discard();
  }
}

/** `resume RUN_ID` */
export async function resumeCommand(runId: string, json: boolean, out: Out): Promise<number> {
  return withContext(async (context) => {
    const run = await context.resources.store.loadRun(runId);
    if (!run) throw new Error(`Run ${runId} was not found`);
    return follow(context, run.plan, planExecution(run.plan), json, out, () => resumeRun(context.resources, runId));
  });
}

/** `retry RUN_ID [--node ID]` */
export async function retryCommand(runId: string, nodeId: string | undefined, json: boolean, out: Out): Promise<number> {
  return withContext(async (context) => {
    const run = await context.resources.store.loadRun(runId);
    if (!run) throw new Error(`Run ${runId} was not found`);
    return follow(context, run.plan, planExecution(run.plan), json, out, () =>
      nodeId ? retryNode(context.resources, runId, nodeId) : retryFailedNodes(context.resources, runId),
    );
  });
}

/** `undo RUN_ID [--force]` */
export async function undoCommand(runId: string, force: boolean, json: boolean, out: Out): Promise<number> {
  return withContext(async (context) => {
    const result = await undoRun(context.resources, runId, { force });
    if (json) out.write(JSON.stringify(result, null, 2) + "\n");
    else {
      for (const conflict of result.conflicts) out.write(`⚠ ${conflict.path}: ${conflict.reason}\n`);
      if (result.conflicts.length && !force)
        out.write(`Nothing undone: ${result.conflicts.length} file(s) changed since the run. Use --force to restore anyway.\n`);
      else out.write(`↩ Restored ${result.restored.length} file(s)${result.restored.length ? `: ${result.restored.join(", ")}` : ""}\n`);
    }
    return result.conflicts.length && !force ? EXIT.failed : EXIT.ok;
  });
}

export async function withContext(work: (context: CliContext) => Promise<number>, parts?: CliContextParts): Promise<number> {
  const context = await openCliContext(parts);
  try {
    const recovered = await recoverInterruptedRuns(context.resources);
    for (const run of recovered) {
      process.stderr.write(
        `Run ${run.runId} was left running by a stopped runner; marked interrupted (resume it with: batchboard resume ${run.runId})\n`,
      );
    }
    return await work(context);
  } finally {
    await context.close();
  }
}

/**
 * Starts a run, shows its progress (or, with --json, prints its report,
 * with `extra` fields beside it) and returns the exit code.
 */
export async function follow(
  context: CliContext,
  plan: PlanDocument,
  executionPlan: ExecutionPlan,
  json: boolean,
  out: Out,
  start: () => Promise<RunHandle>,
  extra: Record<string, unknown> = {},
): Promise<number> {
  const buffered: RunEvent[] = [];
  let view: ProgressView | null = null;
  let runId: string | null = null;
  const unsubscribe = context.resources.bus.subscribe("*", (event) => {
    if (runId === null) buffered.push(event);
    else if (event.runId === runId) view?.onEvent(event);
  });
  const started = Date.now();
  const handle = await start();
  runId = handle.runId;
  if (!json) {
    out.write(`▶ Run ${handle.runId} of "${plan.name}"\n\n`);
    view = new ProgressView(plan, executionPlan, handle.nodes, process.stdout);
    for (const event of buffered) if (event.runId === runId) view.onEvent(event);
  }
  buffered.length = 0;
  const interrupt = () => handle.cancel();
  process.once("SIGINT", interrupt);
  process.once("SIGTERM", interrupt);
  let outcome: RunOutcome;
  try {
    outcome = await handle.done;
  } finally {
    process.off("SIGINT", interrupt);
    process.off("SIGTERM", interrupt);
    unsubscribe();
    view?.close();
  }
  const durationMs = Date.now() - started;
  if (json) out.write(JSON.stringify({ ...(await loadRunReport(context.resources.store, outcome.runId)), ...extra }, null, 2) + "\n");
  else out.write(runSummaryLine(outcome, durationMs) + "\n");
  return outcome.status === "succeeded" ? EXIT.ok : EXIT.failed;
}
