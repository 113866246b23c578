/**
 * The CLI's commands for agents: `run --calls calls.json` (a tool-call batch
 * compiled into a plan and run) and `retry RUN_ID --plan fixed.json` (a retry
 * with a revised plan).
 */
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { compileToolCalls } from "../plan/compile-tool-calls";
import { retryWithRevisedPlan, nodesToRerun } from "../runner/retry-with-plan";
import { planExecution } from "../runner/runs";
import { recordPlanVersion } from "./cli-database";
import { follow, runNewPlan, withContext, type RunCommandOptions } from "./commands";
import { EXIT, type Out } from "./exit-codes";
import { formatProblem, readPlanFile } from "./read-plan";

/** Reads a calls file: a JSON array of calls, or `{"calls": [...]}`. */
async function readCalls(file: string): Promise<unknown> {
  const parsed: unknown = JSON.parse(await readFile(file, "utf8"));
  return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) && "calls" in parsed
    ? (parsed as { calls: unknown }).calls
    : parsed;
}

/** `run --calls calls.json --workspace DIR [--name NAME]` */
export async function runCallsCommand(file: string, options: RunCommandOptions & { name?: string }, out: Out): Promise<number> {
  const directory = path.resolve(options.workspace);
  if (!(await stat(directory).catch(() => null))?.isDirectory()) {
    process.stderr.write(`Workspace ${directory} is not a directory\n`);
    return EXIT.usage;
  }
  let calls: unknown;
  try {
    calls = await readCalls(file);
  } catch (error) {
    process.stderr.write(`Cannot read ${file}: ${(error as Error).message}\n`);
    return EXIT.usage;
  }
  const compiled = compileToolCalls(calls, { workspaceRoot: directory, name: options.name });
  if (!compiled.ok) {
    for (const problem of compiled.problems) process.stderr.write(`✗ ${problem.message}\n`);
    return EXIT.usage;
  }
  const { plan } = compiled;
  if (!options.json) {
    out.write(`Compiled ${compiled.calls.length} call${compiled.calls.length === 1 ? "" : "s"} into plan "${plan.name}":\n`);
    for (const node of plan.nodes) {
      const after = plan.edges.filter((edge) => edge.to === node.id).map((edge) => edge.from);
      out.write(`  ${node.id}${after.length ? ` after ${after.join(", ")}` : ""}\n`);
    }
    out.write("\n");
  }
  return runNewPlan(plan, directory, options, out, { compiled: { plan, calls: compiled.calls } });
}

/** `retry RUN_ID --plan fixed.json` */
export async function retryWithPlanCommand(runId: string, planFile: string, json: boolean, out: Out): Promise<number> {
  const result = await readPlanFile(planFile);
  if (!result.ok) {
    for (const problem of result.problems) process.stderr.write(`✗ ${formatProblem(problem)}\n`);
    return EXIT.usage;
  }
  return withContext(async (context) => {
    const parent = await context.resources.store.loadRun(runId);
    if (!parent) throw new Error(`Run ${runId} was not found`);
    // The revision becomes a version of the run's plan, so it keeps the plan's name.
    const plan = { ...result.plan, name: parent.plan.name };
    await nodesToRerun(context.resources, parent, plan);
    const { planVersionId } = await recordPlanVersion(context, plan);
    return follow(context, plan, planExecution(plan), json, out, () =>
      retryWithRevisedPlan(context.resources, runId, { plan, planVersionId }),
    );
  });
}
