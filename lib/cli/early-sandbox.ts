/**
 * A CLI run's sandbox, started before the database opens. Its start (/etc's
 * private files listed, bubblewrap, the helper: ~35–60 ms) then overlaps
 * opening the database, recording the plan and creating the run, on the
 * other core, instead of following them. The run is created under the id
 * the sandbox was started for; a run that opens with any other request
 * starts its own, and the early one is discarded.
 */
import { realpathSync } from "node:fs";
import { newRowId } from "../db/row-id";
import type { PlanDocument } from "../plan/schema";
import { runCommandsRequest, type CommandLauncher } from "../runner/sandbox/run-commands";

/** A sandbox started for a run not created yet. */
export interface EarlySandbox {
  runId: string;
  /** Discards the sandbox if the run did not use it; says whether it did not. */
  discard(): boolean;
}

/** Starts the sandbox of a run of `plan` in `directory`, when it will run commands; null when it will not. */
export function startEarlySandbox(
  commands: CommandLauncher,
  plan: PlanDocument,
  directory: string,
  options: { dryRun: boolean; concurrency?: number },
): EarlySandbox | null {
  if (options.dryRun || !commands.sandboxed || !plan.nodes.some((node) => node.type === "shell")) return null;
  let workspaceRoot: string;
  try {
    workspaceRoot = realpathSync.native(directory);
  } catch {
    // The run reports a directory it cannot open when it starts.
    return null;
  }
  const runId = newRowId();
  const discard = commands.prepareRun(runCommandsRequest({ runId, plan, concurrency: options.concurrency }, workspaceRoot));
  return { runId, discard };
}
