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

/**
 * Each event's JSON, made once however many streams send it: every watcher
 * of a run is handed the same event object, and serialising it per watcher
 * made a hundred watchers cost a hundred times the CPU.
 */
const eventJson = new WeakMap<RunEvent, string>();

function jsonOf(event: RunEvent): string {
  let json = eventJson.get(event);
  if (json === undefined) eventJson.set(event, (json = JSON.stringify(event)));
  return json;
}

export function formatSseEvent(event: RunEvent): string {
  return `id: ${event.seq}\ndata: ${jsonOf(event)}\n\n`;
}

/** Several events in one message: `data:` is their JSON array, `id:` the last one's sequence. */
export function formatSseBatch(events: readonly RunEvent[]): string {
  return `id: ${events[events.length - 1]?.seq ?? 0}\ndata: [${events.map(jsonOf).join(",")}]\n\n`;
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
 * The events delivered in one turn of the event loop leave in one write.
 * With `batch` they are also one message (see {@link formatSseBatch}): a
 * busy run emits thousands of events a second in bursts, and a browser pays
 * for every message it dispatches and parses.
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
        controller.enqueue(encoder.encode(options.batch ? formatSseBatch(batch) : batch.map(formatSseEvent).join("")));
        batch = [];
      };
      unsubscribe = await subscribe((event) => {
        if (closed) return;
        if (batch.push(event) === 1) setImmediate(flushBatch);
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
