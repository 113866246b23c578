/**
 * Live run events across machines. A worker publishes what its runner's bus
 * publishes to one Redis channel per run, a burst per message; a web server
 * subscribes to a run's channel once, however many of its clients watch the
 * run, and fans the events out in memory. The stored log stays the source
 * of truth (replay, Last-Event-ID resume); Redis only carries what is new.
 * The notices that runs are stored travel on one channel every web server
 * subscribes to once: waiting for a run needs no subscription of its own.
 */
import type { Redis } from "ioredis";
import * as z from "zod";
import type { RunEventBus } from "../runner/event-bus";
import { ListenersByRun } from "../runner/listeners-by-run";
import { RunEvent, RunStatus } from "../run-events/run-events";
import { eventChannel, settledChannel, type ClusterConfig } from "./cluster-config";

/** What a run's channel carries: a burst of its events. */
const RunEventBurst = z.array(RunEvent);

/** What the settled channel carries: a run ended with `status`, and everything it recorded is stored. */
const SettledNotice = z.object({ runId: z.string().min(1), status: RunStatus });

/**
 * Publishes every event of `bus` to its run's channel: the events of one
 * tick go out as one message, so a run's thousand events a second cost
 * Redis tens of messages, not thousands.
 *
 * @returns stops relaying
 */
export function relayRunEvents(bus: RunEventBus, publisher: Redis, config: ClusterConfig): () => void {
  let pending = new Map<string, RunEvent[]>();
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    const bursts = pending;
    pending = new Map();
    for (const [runId, events] of bursts) void publisher.publish(eventChannel(config, runId), JSON.stringify(events)).catch(() => {});
  };
  return bus.subscribe("*", (event) => {
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
 * Tells every server watching a run that it ended with `status` and that
 * everything it recorded is stored (sent by the worker once the run's last
 * flush succeeded, after its last events), so a caller waiting for the run
 * knows without reading the store or polling it.
 */
export async function publishRunSettled(publisher: Redis, config: ClusterConfig, runId: string, status: RunStatus): Promise<void> {
  await publisher.publish(settledChannel(config), JSON.stringify({ runId, status } satisfies z.infer<typeof SettledNotice>));
}

interface RunSubscription {
  listeners: Set<(event: RunEvent) => void>;
  /** Events received since the subscription began (capped): the log may not hold them yet. */
  recent: RunEvent[];
  ready: Promise<void>;
}

/** A web server's one subscription per watched run, shared by all of its clients, and its one subscription to settled notices. */
export class RemoteRunEvents {
  private readonly runs = new Map<string, RunSubscription>();
  private readonly settledListeners = new ListenersByRun<(status: RunStatus) => void>();
  private readonly settledReady: Promise<unknown>;

  constructor(
    private readonly subscriber: Redis,
    private readonly config: ClusterConfig,
    private readonly recentPerRun = 20_000,
  ) {
    const prefix = eventChannel(config, "");
    const settled = settledChannel(config);
    // ioredis subscribes again after a reconnect, as for the runs' channels.
    // Without it, waiters fall back to reading the store.
    this.settledReady = subscriber.subscribe(settled).catch(() => undefined);
    subscriber.on("message", (channel: string, message: string) => {
      if (channel === settled) return this.settle(message);
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
      subscription = { listeners: new Set(), recent: [], ready: this.subscriber.subscribe(channel).then(() => undefined) };
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

  /** Calls `listener` with the run's final status when its worker says everything is stored. */
  async onSettled(runId: string, listener: (status: RunStatus) => void): Promise<() => void> {
    const remove = this.settledListeners.add(runId, listener);
    await this.settledReady;
    return remove;
  }

  private settle(message: string): void {
    const parsed = SettledNotice.safeParse(JSON.parse(message));
    if (!parsed.success) return;
    for (const listener of this.settledListeners.of(parsed.data.runId)) listener(parsed.data.status);
  }

  recent(runId: string): RunEvent[] {
    return [...(this.runs.get(runId)?.recent ?? [])];
  }

  /** Runs this server is subscribed to (one Redis subscription each). */
  subscribedRunCount(): number {
    return this.runs.size;
  }
}
