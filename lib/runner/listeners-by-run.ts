/** Listeners kept by run id; a run's entry goes with its last listener. */
export class ListenersByRun<Listener> {
  private readonly byRun = new Map<string, Set<Listener>>();

  /** @returns removes the listener */
  add(runId: string, listener: Listener): () => void {
    let listeners = this.byRun.get(runId);
    if (!listeners) this.byRun.set(runId, (listeners = new Set()));
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && this.byRun.get(runId) === listeners) this.byRun.delete(runId);
    };
  }

  of(runId: string): Iterable<Listener> {
    return this.byRun.get(runId) ?? [];
  }
}
