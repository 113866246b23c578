/**
 * The change log: a file change reaches the journal (and the database) only
 * with the next batched flush, so a runner killed between writing a file and
 * that flush would leave a change nobody can see or undo. Before each change
 * touches the disk, the file's previous bytes are appended here in one
 * synchronous write; recovery journals whatever the log holds beyond what was
 * persisted (see recovery.ts), rolls back an atomic batch the crash cut short
 * from it (roll-back-interrupted-batches.ts), and the log is removed once the
 * run's changes are stored.
 *
 * One file per run: entries are a JSON header line followed by the previous
 * bytes. An entry cut short by the crash is ignored: its append had not
 * returned, so its change had not started.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import path from "node:path";

/** What is about to change. */
export interface ChangeIntent {
  nodeId: string;
  /** Workspace-relative. */
  path: string;
  /** The bytes before the change; null when the file does not exist. */
  before: Buffer | null;
  /** sha-256 of the bytes the change writes; null for a delete. */
  afterHash: string | null;
  /** Permission bits of a file about to be deleted, so a rollback restores them. */
  beforeMode?: number | null;
  /** For a create: the topmost directory (workspace-relative) made for the file, removed again by a rollback when empty. */
  createdDirectory?: string | null;
}

/** Appends intents to one run's log. */
export interface ChangeLog {
  append(intent: ChangeIntent): void;
  close(): void;
}

interface IntentHeader {
  nodeId: string;
  path: string;
  /** Length of the previous bytes that follow; -1 when the file did not exist. */
  beforeLength: number;
  afterHash: string | null;
  beforeMode?: number | null;
  createdDirectory?: string | null;
}

const logFile = (directory: string, runId: string) => path.join(directory, `${encodeURIComponent(runId)}.changes`);

/**
 * Opens (or continues) a run's log. `beforeAppend` runs before each entry is
 * written (the run's event log flushes there, so the events that preceded a
 * change are on disk before it).
 */
export function openChangeLog(directory: string, runId: string, options: { beforeAppend?: () => void } = {}): ChangeLog {
  mkdirSync(directory, { recursive: true, mode: 0o700 });
  let fd: number | null = openSync(logFile(directory, runId), "a", 0o600);
  return {
    append(intent) {
      if (fd === null) throw new Error("The change log is closed");
      options.beforeAppend?.();
      const { before, ...rest } = intent;
      const header: IntentHeader = { ...rest, beforeLength: before?.length ?? -1 };
      const entry = Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), intent.before ?? Buffer.alloc(0)]);
      let written = 0;
      while (written < entry.length) written += writeSync(fd, entry, written);
    },
    close() {
      if (fd !== null) closeSync(fd);
      fd = null;
    },
  };
}

/** The intents in a run's log, in order; [] when there is none. */
export function readChangeLog(directory: string, runId: string): ChangeIntent[] {
  let data: Buffer;
  try {
    data = readFileSync(logFile(directory, runId));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const intents: ChangeIntent[] = [];
  let offset = 0;
  while (offset < data.length) {
    const newline = data.indexOf(10, offset);
    if (newline === -1) break;
    let header: IntentHeader;
    try {
      header = JSON.parse(data.toString("utf8", offset, newline)) as IntentHeader;
    } catch {
      break;
    }
    const end = newline + 1 + Math.max(0, header.beforeLength);
    if (end > data.length) break;
    const { beforeLength, ...rest } = header;
    intents.push({ ...rest, before: beforeLength < 0 ? null : Buffer.from(data.subarray(newline + 1, end)) });
    offset = end;
  }
  return intents;
}

/** Removes a run's log (its changes are stored). */
export function removeChangeLog(directory: string, runId: string): void {
  rmSync(logFile(directory, runId), { force: true });
}
