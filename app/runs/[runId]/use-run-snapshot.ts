"use client";

import { useEffect, useState } from "react";
import type { RunViewState } from "@/lib/run-view/run-view-state";
import { isTerminalRunStatus } from "@/lib/run-events/status";
import type { RunViewStore } from "./run-view-store";

/** Often enough for counts, a clock and a timeline to read as live; rarely enough to leave frames to the graph. */
const SNAPSHOT_INTERVAL_MS = 250;

export interface RunSnapshot {
  state: RunViewState;
  /** The time the snapshot was taken, for elapsed times and running bars. */
  now: number;
}

/**
 * The run's state for everything but the graph nodes (header, batches,
 * timeline, panel): re-read at most four times a second while the run is
 * live, since at thousands of events a second a render per frame of the
 * whole page would cost more than the frame. The run's own status (started,
 * finished) and anything after it finished show at once.
 */
export function useRunSnapshot(store: RunViewStore): RunSnapshot {
  const [snapshot, setSnapshot] = useState<RunSnapshot>(() => ({ state: store.getState(), now: Date.now() }));

  useEffect(() => {
    const take = () => setSnapshot({ state: store.getState(), now: Date.now() });
    let shownStatus = store.getState().status;
    const unsubscribe = store.subscribe(() => {
      const { status } = store.getState();
      if (status === shownStatus && !isTerminalRunStatus(status)) return;
      shownStatus = status;
      take();
    });
    const timer = setInterval(() => {
      if (isTerminalRunStatus(store.getState().status)) clearInterval(timer);
      else take();
    }, SNAPSHOT_INTERVAL_MS);
    return () => {
      unsubscribe();
      clearInterval(timer);
    };
  }, [store]);

  return snapshot;
}
