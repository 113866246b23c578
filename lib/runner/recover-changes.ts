/**
 * Recovering changes a crash kept from the journal: the run's change log
 * (change-log.ts) holds every change that was about to touch the disk; those
 * the store does not have are journalled now, as they are found on disk, so
 * they show up in the run and undo can restore the bytes from before them.
 */
import { readChangeLog, type ChangeIntent } from "./change-log";
import { readOrNull } from "./file-system";
import { hashContent, type FileChangeRecord, type FileOperation } from "./journal";
import type { RunStore } from "./run-store";
import type { Workspace } from "./workspace";

const changeKey = (path: string, beforeHash: string | null, afterHash: string | null) => `${path}\0${beforeHash}\0${afterHash}`;

/**
 * The changes in `runId`'s log that the store lacks, one per file: from the
 * bytes before the first of them to the bytes on disk now. A file back at
 * those first bytes (its change never reached the disk) gives none.
 */
export async function findUnjournalledChanges(
  store: RunStore,
  logDirectory: string,
  runId: string,
  workspace: Workspace,
): Promise<FileChangeRecord[]> {
  const intents = readChangeLog(logDirectory, runId);
  if (!intents.length) return [];
  const stored = await store.listFileChanges(runId);
  const unmatched = new Map<string, number>();
  for (const change of stored) {
    const key = changeKey(change.path, change.beforeHash, change.afterHash);
    unmatched.set(key, (unmatched.get(key) ?? 0) + 1);
  }
  const missing = new Map<string, ChangeIntent[]>();
  for (const intent of intents) {
    const key = changeKey(intent.path, hashContent(intent.before), intent.afterHash);
    const count = unmatched.get(key) ?? 0;
    if (count > 0) unmatched.set(key, count - 1);
    else missing.set(intent.path, [...(missing.get(intent.path) ?? []), intent]);
  }
  let seq = stored.reduce((highest, change) => Math.max(highest, change.seq), 0);
  const records: FileChangeRecord[] = [];
  for (const [path, list] of missing) {
    const first = list[0] as ChangeIntent;
    const last = list[list.length - 1] as ChangeIntent;
    const now = await readOrNull(await workspace.resolve(path));
    const beforeHash = hashContent(first.before);
    const afterHash = hashContent(now);
    if (beforeHash === afterHash) continue;
    const operation: FileOperation = first.before === null ? "create" : now === null ? "delete" : "update";
    records.push({ seq: ++seq, nodeId: last.nodeId, path, operation, before: first.before, after: now, beforeHash, afterHash });
  }
  return records;
}
