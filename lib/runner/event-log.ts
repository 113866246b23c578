/**
 * The event log: events reach the store only with the next batched flush
 * (event-persister.ts), so a runner killed in between would lose the run's
 * `running` status, its `batch.status started` events and node statuses that
 * recovery needs to tell what was in flight. Each event is also appended to
 * a per-run file beside the change log; recovery stores what the log holds
 * beyond the store (recover-events.ts), and the log is removed once the
 * run's events are stored.
 *
 * Appends are coalesced: the events of one synchronous stretch of work go to
 * the file in one write when it ends (a microtask), and before any change
 * reaches the disk (the change log calls {@link EventLog.flush} first), so
 * an event is never behind a file change it preceded. No fsync: a killed
 * process keeps what write() returned; only a machine crash would not.
 *
 * One JSON line per event; a line cut short by the crash is ignored.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import path from "node:path";
import { RunEvent } from "../run-events/run-events";

/** Appends a run's events to its log. */
export interface EventLog {
  append(event: RunEvent): void;
  /** Writes the events appended so far (done by itself when the current stretch of work ends). */
  flush(): void;
  close(): void;
}

const logFile = (directory: string, runId: string) => path.join(directory, `${encodeURIComponent(runId)}.events`);

/** Opens (or continues) a run's event log. */
export function openEventLog(directory: string, runId: string): EventLog {
  mkdirSync(directory, { recursive: true, mode: 0o700 });
  let fd: number | null = openSync(logFile(directory, runId), "a", 0o600);
  let pending = "";
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (fd === null || pending === "") return;
    const data = Buffer.from(pending);
    pending = "";
    let written = 0;
    while (written < data.length) written += writeSync(fd, data, written);
  };
  return {
    append(event) {
      // A kept background command may still print once the run completed and closed its log: the store alone takes that.
      if (fd === null) return;
      pending += `${JSON.stringify(event)}\n`;
      if (!scheduled) {
        scheduled = true;
        queueMicrotask(flush);
      }
    },
    flush,
    close() {
      flush();
      if (fd !== null) closeSync(fd);
      fd = null;
    },
  };
}

/** The events in a run's log, in order; [] when there is none. */
export function readEventLog(directory: string, runId: string): RunEvent[] {
  let text: string;
  try {
    text = readFileSync(logFile(directory, runId), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const events: RunEvent[] = [];
  for (const line of text.split("\n")) {
    if (line === "") continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      break;
    }
    const event = RunEvent.safeParse(parsed);
    if (!event.success) break;
    events.push(event.data);
  }
  return events;
}

/** Removes a run's event log (its events are stored). */
export function removeEventLog(directory: string, runId: string): void {
  rmSync(logFile(directory, runId), { force: true });
}
