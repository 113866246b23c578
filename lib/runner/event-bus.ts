/** In-process publish/subscribe for run events; the web app streams from it (SSE). */
import type { RunEvent } from "../run-events/run-events";
import { ListenersByRun } from "./listeners-by-run";

export type RunEventListener = (event: RunEvent) => void;

/** Listeners per run id, plus listeners for every run. */
export class RunEventBus {
  private readonly byRun = new ListenersByRun<RunEventListener>();
  private readonly everyRun = new Set<RunEventListener>();

  /**
   * Subscribes to one run's events (or every run's, with `"*"`).
   * @returns unsubscribe
   * @example
   * const off = bus.subscribe(runId, (event) => send(event));
   */
  subscribe(runId: string | "*", listener: RunEventListener): () => void {
    if (runId === "*") {
      this.everyRun.add(listener);
      return () => this.everyRun.delete(listener);
    }
    return this.byRun.add(runId, listener);
  }

  /** Delivers synchronously; a throwing listener does not stop the others. */
  publish(event: RunEvent): void {
    for (const listener of this.byRun.of(event.runId)) safely(listener, event);
    for (const listener of this.everyRun) safely(listener, event);
  }
}

function safely(listener: RunEventListener, event: RunEvent): void {
  try {
    listener(event);
  } catch {
    // A broken subscriber (a closed SSE stream) must not break the run.
  }
}
