/**
 * The live run state outside React: the page folds events into it once per
 * frame, and each graph node subscribes to its own entry, so a frame with ten
 * status changes re-renders ten nodes and React Flow's node list never changes.
 */
import { createContext, useContext, useSyncExternalStore } from "react";
import type { RunEvent } from "@/lib/run-events/run-events";
import { applyRunEvents, emptyNodeView, type NodeView, type RunViewState } from "@/lib/run-view/run-view-state";

type Listener = () => void;

export class RunViewStore {
  private state: RunViewState;
  private readonly listeners = new Set<Listener>();
  private readonly nodeListeners = new Map<string, Set<Listener>>();

  constructor(initial: RunViewState) {
    this.state = initial;
  }

  readonly getState = (): RunViewState => this.state;

  readonly subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  subscribeNode(nodeId: string, listener: Listener): () => void {
    let set = this.nodeListeners.get(nodeId);
    if (!set) this.nodeListeners.set(nodeId, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  getNode(nodeId: string): NodeView | undefined {
    return this.state.nodes[nodeId];
  }

  /** Applies a frame's events and tells only the nodes whose state changed. */
  apply(events: readonly RunEvent[]): void {
    const previous = this.state;
    const next = applyRunEvents(previous, events);
    if (next === previous) return;
    this.state = next;
    const touched = new Set<string>();
    for (const event of events) if ("nodeId" in event) touched.add(event.nodeId);
    for (const nodeId of touched) {
      if (previous.nodes[nodeId] !== next.nodes[nodeId]) for (const listener of this.nodeListeners.get(nodeId) ?? []) listener();
    }
    for (const listener of this.listeners) listener();
  }
}

export const RunViewStoreContext = createContext<RunViewStore | null>(null);

function useStore(): RunViewStore {
  const store = useContext(RunViewStoreContext);
  if (!store) throw new Error("RunViewStoreContext is missing");
  return store;
}

/** What a node the run never mentioned looks like; one object, so a snapshot of it stays the same. */
const NOT_STARTED: NodeView = emptyNodeView();

/** One node's live state; re-renders only when that node changes. */
export function useNodeView(nodeId: string): NodeView {
  return useNodeSelection(nodeId, (view) => view);
}

/**
 * A value derived from one node's live state (a string or number); re-renders
 * only when that value changes. A graph node shows its status, not its log,
 * so the output lines streaming into it cost no render.
 */
export function useNodeSelection<Value>(nodeId: string, select: (view: NodeView) => Value): Value {
  const store = useStore();
  const read = () => select(store.getNode(nodeId) ?? NOT_STARTED);
  return useSyncExternalStore((listener) => store.subscribeNode(nodeId, listener), read, read);
}
