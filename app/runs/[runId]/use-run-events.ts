"use client";

import { useEffect, useRef, useState } from "react";
import * as z from "zod";
import { RunEvent } from "@/lib/run-events/run-events";
import { isTerminalRunStatus } from "@/lib/run-events/status";
import { initialRunViewState, type ReusedNode } from "@/lib/run-view/run-view-state";
import { RunViewStore } from "./run-view-store";

const RunEventBatch = z.array(RunEvent);

export type StreamState = "connecting" | "live" | "reconnecting" | "closed";

/**
 * Follows a run's SSE stream into a RunViewStore. Events arrive in batches
 * (one message per burst), are parsed with the shared zod union and applied
 * once per animation frame (not once per event). The browser's EventSource resends Last-Event-ID on reconnect, and
 * the fold ignores anything already seen, so a dropped connection misses nothing.
 */
export function useRunEvents(
  runId: string,
  nodeIds: readonly string[],
  reused: readonly ReusedNode[],
): { store: RunViewStore; stream: StreamState } {
  const [store] = useState(() => new RunViewStore(initialRunViewState(nodeIds, reused)));
  const [stream, setStream] = useState<StreamState>("connecting");
  const queue = useRef<RunEvent[]>([]);
  const frame = useRef<number | null>(null);

  useEffect(() => {
    const source = new EventSource(`/api/v1/runs/${encodeURIComponent(runId)}/events?batch=1`);
    const flush = () => {
      frame.current = null;
      const events = queue.current;
      queue.current = [];
      store.apply(events);
    };
    source.onopen = () => setStream("live");
    source.onerror = () => setStream(source.readyState === EventSource.CLOSED ? "closed" : "reconnecting");
    source.onmessage = (message: MessageEvent<string>) => {
      const parsed = RunEventBatch.safeParse(JSON.parse(message.data));
      if (!parsed.success) return;
      queue.current.push(...parsed.data);
      frame.current ??= requestAnimationFrame(flush);
      const last = parsed.data[parsed.data.length - 1];
      if (last?.type === "run.status" && isTerminalRunStatus(last.status)) {
        // The server ends the stream here; without this the browser would reconnect forever.
        source.close();
        setStream("closed");
      }
    };
    return () => {
      source.close();
      if (frame.current !== null) cancelAnimationFrame(frame.current);
      queue.current = [];
    };
  }, [runId, store]);

  return { store, stream };
}
