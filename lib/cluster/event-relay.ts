/**
 * Live run events across machines. A worker publishes what its runner's bus
 * publishes to one Redis channel per run, a burst per message, for the runs
 * some web server streams live: each says which ones on the control channel
 * and repeats it while it streams them. A web server subscribes to a run's
 * channel once, however many of its clients watch the run, and fans the
 * events out in memory. The stored log stays the source of truth (replay,
 * Last-Event-ID resume, and what a run did before its worker heard of a
 * watcher); Redis only carries what is new. (That runs are stored is
 * PostgreSQL's word: lib/db/settled-notices.ts.)
 */
import type { Redis } from "ioredis";
import * as z from "zod";
import type { RunEventBus } from "../runner/event-bus";
import { RunEvent } from "../run-events/run-events";
import { controlChannel, eventChannel, type ClusterConfig, type ControlMessage } from "./cluster-config";

/** A web server repeats which runs it streams this often (a worker that started since, or missed a word, learns them). */
const WATCH_RENEW_MS = 2_000;
/** A worker stops relaying a run this long after the last word that a server streams it. */
const WATCH_LAPSES_MS = 3 * WATCH_RENEW_MS;

/** What a run's channel carries: a burst of its events. */
const RunEventBurst = z.array(RunEvent);

/**
 * Publishes the events of `bus` whose run `relays` (all by default) to the
 * run's channel: the events of one tick go out as one message, so a run's
 * thousand events a second cost Redis tens of messages, not thousands.
 *
 * @returns stops relaying
 */
export function relayRunEvents(
  bus: RunEventBus,
  publisher: Redis,
  config: ClusterConfig,
  relays: (runId: string) => boolean = () => true,
): () => void {
  let pending = new Map<string, RunEvent[]>();
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    const bursts = pending;
    pending = new Map();
    for (const [runId, events] of bursts) void publisher.publish(eventChannel(config, runId), JSON.stringify(events)).catch(() => {});
  };
  return bus.subscribe("*", (event) => {
    if (!relays(event.runId)) return;
    const events = pending.get(event.runId);
    if (events) events.push(event);
    else pending.set(event.runId, [event]);
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  });
}

/**
 * The runs some web server streams live, as the servers' watch messages
 * say, each until its last word lapses: a worker relays only these, so a run
 * nobody watches (most runs of scripts and agents) costs Redis no message,
 * and its worker no write on the way to its first command.
 */
export class WatchedRuns {
  private readonly lapsesAt = new Map<string, number>();

  constructor(private readonly lapseMs = WATCH_LAPSES_MS) {}

  watch(runIds: readonly string[], now = Date.now()): void {
    for (const [runId, at] of this.lapsesAt) if (at <= now) this.lapsesAt.delete(runId);
    for (const runId of runIds) this.lapsesAt.set(runId, now + this.lapseMs);
  }

  has(runId: string, now = Date.now()): boolean {
    return (this.lapsesAt.get(runId) ?? 0) > now;
  }
}

interface RunSubscription {
  listeners: Set<(event: RunEvent) => void>;
  /** Events received since the subscription began (capped): the log may not hold them yet. */
  recent: RunEvent[];
  ready: Promise<void>;
}

/**
 * A web server's one subscription per watched run, shared by all of its
 * clients. It tells workers which runs it watches, and repeats it every
 * `watchRenewMs` while it does.
 */
export class RemoteRunEvents {
  private readonly runs = new Map<string, RunSubscription>();
  private readonly subscriber: Redis;
  private readonly publisher: Redis;
  private readonly recentPerRun: number;
  private readonly renewal: NodeJS.Timeout;

  constructor(
    connections: { subscriber: Redis; publisher: Redis },
    private readonly config: ClusterConfig,
    options: { recentPerRun?: number; watchRenewMs?: number } = {},
  ) {
    this.subscriber = connections.subscriber;
    this.publisher = connections.publisher;
    this.recentPerRun = options.recentPerRun ?? 20_000;
    this.renewal = setInterval(() => {
      if (this.runs.size > 0) void this.announceWatch([...this.runs.keys()]);
    }, options.watchRenewMs ?? WATCH_RENEW_MS);
    this.renewal.unref();
    const prefix = eventChannel(config, "");
    this.subscriber.on("message", (channel: string, message: string) => {
      if (!channel.startsWith(prefix)) return;
      const subscription = this.runs.get(channel.slice(prefix.length));
      if (!subscription) return;
      const parsed = RunEventBurst.safeParse(JSON.parse(message));
      if (!parsed.success) return;
      const burst = parsed.data;
      subscription.recent.push(...burst);
      if (subscription.recent.length > this.recentPerRun) subscription.recent.splice(0, subscription.recent.length - this.recentPerRun);
      for (const event of burst) {
        for (const listener of subscription.listeners) {
          try {
            listener(event);
          } catch {
            // A closed stream must not stop the others.
          }
        }
      }
    });
  }

  /** Resolves once Redis confirmed the subscription, so nothing published afterwards is missed. */
  async subscribe(runId: string, listener: (event: RunEvent) => void): Promise<() => void> {
    let subscription = this.runs.get(runId);
    if (!subscription) {
      const channel = eventChannel(this.config, runId);
      // Workers relay the run once they hear of the watch; what it did before reaches the stream through the log.
      const ready = this.subscriber.subscribe(channel).then(() => this.announceWatch([runId]));
      subscription = { listeners: new Set(), recent: [], ready };
      this.runs.set(runId, subscription);
    }
    const current = subscription;
    current.listeners.add(listener);
    await current.ready;
    return () => {
      current.listeners.delete(listener);
      if (current.listeners.size > 0 || this.runs.get(runId) !== current) return;
      this.runs.delete(runId);
      void this.subscriber.unsubscribe(eventChannel(this.config, runId)).catch(() => {});
    };
  }

  /** Stops repeating which runs this server watches. */
  close(): void {
    clearInterval(this.renewal);
  }

  recent(runId: string): RunEvent[] {
    return [...(this.runs.get(runId)?.recent ?? [])];
  }

  /** Runs this server is subscribed to (one Redis subscription each). */
  subscribedRunCount(): number {
    return this.runs.size;
  }

  private async announceWatch(runIds: string[]): Promise<void> {
    const message: ControlMessage = { action: "watch", runIds };
    // A word lost while Redis is away is repeated with the next renewal.
    await this.publisher.publish(controlChannel(this.config), JSON.stringify(message)).catch(() => undefined);
  }
}
