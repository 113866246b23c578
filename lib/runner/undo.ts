/**
 * Undo: restores the files a run changed to their content before the run,
 * byte for byte and with a deleted file's permission bits, removes the
 * directories the run created once they are empty again — refusing files
 * changed since, unless forced.
 */
import { hashContent } from "./journal";
import { diskFileSystem } from "./file-system";
import type { RunnerResources } from "./resources";
import { restoreFiles, type FileRestore } from "./restore-files";
import { loadRunChain } from "./retry-with-plan";
import { RunRequestError } from "./runs";
import type { StoredFileChange, StoredRun } from "./run-store";
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
 * Reverts every not-yet-reverted change of a run and of the runs it retried
 * (a retry reuses its parent's successes, so their changes are part of what
 * it did). Refuses, naming the reason, when there is nothing left to restore:
 * it never reports success having restored nothing.
 *
 * @example
 * const { restored, conflicts } = await undoRun(resources, runId);
 * if (conflicts.length) console.log("changed since:", conflicts.map((c) => c.path));
 */
export async function undoRun(resources: RunnerResources, runId: string, options: { force?: boolean } = {}): Promise<UndoResult> {
  const chain = await loadRunChain(resources, runId);
  const run = chain[0] as StoredRun;
  if (run.status === "running" || run.status === "queued")
    throw new RunRequestError("invalid-state", `Run ${runId} is still ${run.status}`);
  if (run.dryRun) throw new RunRequestError("invalid-state", `Run ${runId} was a dry run; it changed no files`);
  // Oldest run first, so each path's first change holds its bytes from before the whole chain.
  const changes: Array<StoredFileChange & { runId: string }> = [];
  let journalled = 0;
  for (const chainRun of [...chain].reverse()) {
    const journal = await resources.store.listFileChanges(chainRun.id);
    journalled += journal.length;
    for (const change of journal) if (change.revertedAt === null) changes.push({ ...change, runId: chainRun.id });
  }
  if (changes.length === 0) {
    const runs =
      chain.length > 1
        ? `run ${runId} and the run${chain.length > 2 ? "s" : ""} it retried (${chain
            .slice(1)
            .map((entry) => entry.id)
            .join(", ")})`
        : `run ${runId}`;
    throw new RunRequestError(
      "invalid-state",
      journalled ? `Nothing to undo: the file changes of ${runs} were already undone` : `Nothing to undo: ${runs} changed no files`,
    );
  }
  const byPath = new Map<string, StoredFileChange[]>();
  for (const change of changes) byPath.set(change.path, [...(byPath.get(change.path) ?? []), change]);
  const workspace = openWorkspace(run.directory);
  const plans: Array<FileRestore & { path: string }> = [];
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
    plans.push({
      path,
      absolute,
      original: first.before,
      mode,
      createdDirectory: first.before === null ? (first.createdDirectory ?? null) : null,
    });
  }
  if (conflicts.length && !options.force) return { restored: [], conflicts };
  await restoreFiles(workspace.root, plans);
  const at = new Date(resources.clock.now());
  for (const chainRun of chain) {
    const ids = changes.filter((change) => change.runId === chainRun.id).map((change) => change.id);
    if (ids.length) await resources.store.markFileChangesReverted(chainRun.id, ids, at);
  }
  return { restored: plans.map((plan) => plan.path), conflicts };
}
