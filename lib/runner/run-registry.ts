/**
 * The runs in progress in this process, by id, so a request can cancel a run
 * or a node it did not start (the server keeps one registry).
 */
import type { RunHandle } from "./scheduler";

export class RunRegistry {
  private readonly handles = new Map<string, RunHandle>();

  /**
   * Tracks a run until it finishes.
   * @example
   * registry.track(await startRun(resources, options));
   */
  track(handle: RunHandle): RunHandle {
    this.handles.set(handle.runId, handle);
    const forget = () => {
      if (this.handles.get(handle.runId) === handle) this.handles.delete(handle.runId);
    };
    handle.done.then(forget, forget);
    return handle;
  }

  get(runId: string): RunHandle | undefined {
    return this.handles.get(runId);
  }

  /** Ids of the runs in progress. */
  activeRunIds(): string[] {
    return [...this.handles.keys()];
  }

  /** Cancels a run in progress; false when it is not running here. */
  cancel(runId: string): boolean {
    const handle = this.handles.get(runId);
    handle?.cancel();
    return handle !== undefined;
  }

  /** Cancels one node of a run in progress; false when the run or node is not running here. */
  cancelNode(runId: string, nodeId: string): boolean {
    return this.handles.get(runId)?.cancelNode(nodeId) ?? false;
  }
}
