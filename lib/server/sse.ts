/**
 * Server-Sent Events for run streams: `id:` is the run's event sequence, so
 * a browser's EventSource sends it back as Last-Event-ID when it reconnects
 * and the stream resumes exactly after the last event it had.
 */
import type { RunEvent } from "../run-events/run-events";

/** Comment lines keep proxies from closing an idle stream. */
const HEARTBEAT_MS = 15_000;
/** How often a stream re-checks its caller's access by default (well within the promised 30 s). */
const DEFAULT_ACCESS_CHECK_MS = 10_000;

export function formatSseEvent(event: RunEvent): string {
  return `id: ${event.seq}\ndata: ${JSON.stringify(event)}\n\n`;
}

/** Several events in one message: `data:` is their JSON array, `id:` the last one's sequence. */
export function formatSseBatch(events: readonly RunEvent[]): string {
  return `id: ${events[events.length - 1]?.seq ?? 0}\ndata: ${JSON.stringify(events)}\n\n`;
}

/** Whether the client asked for batched messages (`?batch=1`). */
export function wantsBatches(request: Request): boolean {
  return new URL(request.url).searchParams.get("batch") === "1";
}

/** The sequence to resume after: the Last-Event-ID header, else `?after=`, else 0 (everything). */
export function resumePointOf(request: Request): number {
  const raw = request.headers.get("last-event-id") ?? new URL(request.url).searchParams.get("after") ?? "0";
  const seq = Number.parseInt(raw, 10);
  return Number.isFinite(seq) && seq > 0 ? seq : 0;
}

/**
 * A streaming response fed by `subscribe`, which delivers events to `send`
 * and returns its unsubscribe. The stream ends when the run reaches a final
 * status or the client goes away.
 *
 * With `batch`, the events delivered in one turn of the event loop leave as
 * one message (see {@link formatSseBatch}): a busy run emits thousands of
 * events a second in bursts, and a browser pays for every message it
 * dispatches and parses.
 */
export function runEventStream(
  request: Request,
  subscribe: (send: (event: RunEvent) => void) => Promise<() => void>,
  isFinal: (event: RunEvent) => boolean,
  options: {
    batch?: boolean;
    /** Checked every `accessCheckMs`; the stream closes once it answers false (member removed, token revoked). */
    stillAllowed?: () => Promise<boolean>;
    accessCheckMs?: number;
  } = {},
): Response {
  const encoder = new TextEncoder();
  let cleanup = () => {};
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      let closed = false;
      const close = () => {
        if (closed) return;
        closed = true;
        cleanup();
        controller.close();
      };
      const heartbeat = setInterval(() => controller.enqueue(encoder.encode(": keep-alive\n\n")), HEARTBEAT_MS);
      const { stillAllowed } = options;
      const accessCheck = stillAllowed
        ? setInterval(() => {
            stillAllowed().then(
              (allowed) => allowed || close(),
              () => close(),
            );
          }, options.accessCheckMs ?? DEFAULT_ACCESS_CHECK_MS)
        : undefined;
      let unsubscribe = () => {};
      cleanup = () => {
        clearInterval(heartbeat);
        clearInterval(accessCheck);
        unsubscribe();
      };
      request.signal.addEventListener("abort", close);
      controller.enqueue(encoder.encode("retry: 1000\n\n"));
      let finished = false;
      let batch: RunEvent[] = [];
      const flushBatch = () => {
        if (closed || !batch.length) return;
        controller.enqueue(encoder.encode(formatSseBatch(batch)));
        batch = [];
      };
      unsubscribe = await subscribe((event) => {
        if (closed) return;
        if (options.batch) {
          if (batch.push(event) === 1) setImmediate(flushBatch);
        } else controller.enqueue(encoder.encode(formatSseEvent(event)));
        if (isFinal(event)) finished = true;
        if (finished)
          queueMicrotask(() => {
            flushBatch();
            close();
          });
      });
      if (finished) {
        flushBatch();
        close();
      }
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(body, {
    headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache, no-transform", "x-accel-buffering": "no" },
  });
}
