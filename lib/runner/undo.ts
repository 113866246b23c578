/**
 * Undo: restores the files a run changed to their content before the run,
 * byte for byte and with a deleted file's permission bits, removes the
 * directories the run created once they are empty again — refusing files
 * changed since, unless forced.
 */
import { chmod, rmdir } from "node:fs/promises";
import path from "node:path";
import { hashContent } from "./journal";
import { diskFileSystem } from "./file-system";
import type { RunnerResources } from "./resources";
import { RunRequestError } from "./runs";
import type { StoredFileChange } from "./run-store";
import { openWorkspace } from "./workspace";

/** A file undo would not restore without `force`. */
export interface UndoConflict {
  path: string;
  reason: string;
}

/** What {@link undoRun} did. */
export interface UndoResult {
  /** Workspace-relative paths restored (or removed, when the run created them). */
  restored: string[];
  /** Files changed since the run; when non-empty and not forced, nothing was restored. */
  conflicts: UndoConflict[];
}

/**
 * Reverts every not-yet-reverted change of a run.
 *
 * @example
 * const { restored, conflicts } = await undoRun(resources, runId);
 * if (conflicts.length) console.log("changed since:", conflicts.map((c) => c.path));
 */
export async function undoRun(resources: RunnerResources, runId: string, options: { force?: boolean } = {}): Promise<UndoResult> {
  const run = await resources.store.loadRun(runId);
  if (!run) throw new RunRequestError("not-found", `Run ${runId} was not found`);
  if (run.status === "running" || run.status === "queued") throw new RunRequestError("invalid-state", `Run ${runId} is still ${run.status}`);
  if (run.dryRun) throw new RunRequestError("invalid-state", `Run ${runId} was a dry run; it changed no files`);
  const changes = (await resources.store.listFileChanges(runId)).filter((change) => change.revertedAt === null);
  const byPath = new Map<string, StoredFileChange[]>();
  for (const change of changes) byPath.set(change.path, [...(byPath.get(change.path) ?? []), change]);
  const workspace = await openWorkspace(run.directory);
  const plans: Array<{ path: string; absolute: string; original: Buffer | null; mode: number | null; createdDirectory: string | null }> = [];
  const conflicts: UndoConflict[] = [];
  for (const [path, list] of byPath) {
    const first = list[0] as StoredFileChange;
    const last = list[list.length - 1] as StoredFileChange;
    const absolute = await workspace.resolve(path);
    const current = await diskFileSystem.read(absolute);
    if (hashContent(current) !== last.afterHash) {
      conflicts.push({ path, reason: current === null ? "deleted since the run" : "changed since the run" });
    }
    // The first change says what the file was before the run: its mode if the run deleted it, the directories made if it created it.
    const mode = list.find((change) => change.beforeMode != null)?.beforeMode ?? null;
    plans.push({ path, absolute, original: first.before, mode, createdDirectory: first.before === null ? (first.createdDirectory ?? null) : null });
  }
  if (conflicts.length && !options.force) return { restored: [], conflicts };
  for (const plan of plans) {
    if (plan.original === null) await diskFileSystem.remove(plan.absolute);
    else {
      await diskFileSystem.write(plan.absolute, plan.original);
      if (plan.mode !== null) await chmod(plan.absolute, plan.mode);
    }
  }
  await removeCreatedDirectories(workspace.root, plans);
  await resources.store.markFileChangesReverted(
    runId,
    changes.map((change) => change.id),
    new Date(resources.clock.now()),
  );
  return { restored: plans.map((plan) => plan.path), conflicts };
}

/**
 * Removes, deepest first, each directory between a removed file and the
 * topmost directory its creation made, while it is empty: files the run did
 * not create (or a command wrote there) keep theirs.
 */
async function removeCreatedDirectories(root: string, plans: ReadonlyArray<{ absolute: string; original: Buffer | null; createdDirectory: string | null }>): Promise<void> {
  const directories = new Set<string>();
  for (const plan of plans) {
    if (plan.original !== null || plan.createdDirectory === null) continue;
    const top = path.join(root, plan.createdDirectory);
    for (let directory = path.dirname(plan.absolute); directory.startsWith(top); directory = path.dirname(directory)) directories.add(directory);
  }
  const deepestFirst = [...directories].sort((a, b) => b.length - a.length);
  for (const directory of deepestFirst) {
    try {
      await rmdir(directory);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "ENOTEMPTY" && code !== "EEXIST" && code !== "ENOENT") throw error;
    }
  }
}
