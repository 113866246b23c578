/**
 * Recovering events a crash kept from the store: the run's event log
 * (event-log.ts) holds every event the runner emitted; those beyond the
 * store's last seq are stored now, with the node and run state they imply,
 * projected exactly as the runner's own flushes project them.
 */
import { EventPersister } from "./event-persister";
import { readEventLog } from "./event-log";
import type { RunEvent } from "../run-events/run-events";
import type { RunStore, StoredRun } from "./run-store";

/** A crashed run's event log, and which of its events recovery stored. */
export interface LoggedEvents {
  /** Every event the runner emitted since it started the run, in order. */
  logged: RunEvent[];
  /** Those the store lacked, stored now. */
  stored: RunEvent[];
}

/**
 * Stores the events in `run`'s log that the store lacks; `run.nodes` is
 * updated in place to the state they imply. A `file.change` event naming a
 * journal entry the store lacks loses that name: the entry died with the
 * runner, and recovery journals the change anew from the change log
 * (recover-changes.ts).
 */
export async function storeLoggedEvents(store: RunStore, logDirectory: string, run: StoredRun): Promise<LoggedEvents> {
  const read = readEventLog(logDirectory, run.id);
  if (!read.some((event) => event.seq > run.lastEventSeq)) return { logged: read, stored: [] };
  const highestStoredChange = (await store.listFileChanges(run.id)).reduce((highest, change) => Math.max(highest, change.seq), 0);
  const logged = read.map((event): RunEvent => {
    if (event.type !== "file.change" || event.changeSeq === undefined || event.changeSeq <= highestStoredChange) return event;
    const { changeSeq: _lost, ...unjournalled } = event;
    return unjournalled;
  });
  const events = logged.filter((event) => event.seq > run.lastEventSeq);
  const nodes = new Map(run.nodes.map((node) => [node.nodeId, node]));
  const persister = new EventPersister(store, run.id, nodes, {
    flushIntervalMs: 0,
    flushMaxEvents: Number.POSITIVE_INFINITY,
    // Recovery must not go on as if the events were stored.
    onError: (error) => {
      throw error;
    },
  });
  for (const event of events) persister.add(event);
  await persister.flush();
  return { logged, stored: events };
}
