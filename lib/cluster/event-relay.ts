/**
 * Live run events across machines. A worker publishes what its runner's bus
 * publishes to one Redis channel per run, a burst per message; a web server
 * subscribes to a run's channel once, however many of its clients watch the
 * run, and fans the events out in memory. The stored log stays the source
 * of truth (replay, Last-Event-ID resume); Redis only carries what is new.
 */
import type { Redis } from "ioredis";
import * as z from "zod";
import type { RunEventBus } from "../runner/event-bus";
import { RunEvent, RunStatus } from "../run-events/run-events";
import { eventChannel, type ClusterConfig } from "./cluster-config";

/** What a run's channel carries: a burst of its events, or the notice that its final state (this status) is stored. */
const RunChannelMessage = z.union([z.array(RunEvent), z.object({ settled: z.literal(true), status: RunStatus })]);

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
  await publisher.publish(eventChannel(config, runId), JSON.stringify({ settled: true, status }));
}

interface RunSubscription {
  listeners: Set<(event: RunEvent) => void>;
  settledListeners: Set<(status: RunStatus) => void>;
  /** Events received since the subscription began (capped): the log may not hold them yet. */
  recent: RunEvent[];
  ready: Promise<void>;
}

/** A web server's one subscription per watched run, shared by all of its clients. */
export class RemoteRunEvents {
  private readonly runs = new Map<string, RunSubscription>();

  constructor(
    private readonly subscriber: Redis,
    private readonly config: ClusterConfig,
    private readonly recentPerRun = 20_000,
  ) {
    const prefix = eventChannel(config, "");
    subscriber.on("message", (channel: string, message: string) => {
      if (!channel.startsWith(prefix)) return;
      const subscription = this.runs.get(channel.slice(prefix.length));
      if (!subscription) return;
      const parsed = RunChannelMessage.safeParse(JSON.parse(message));
      if (!parsed.success) return;
      const burst = parsed.data;
      if (!Array.isArray(burst)) {
        for (const listener of subscription.settledListeners) listener(burst.status);
        return;
      }
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
  subscribe(runId: string, listener: (event: RunEvent) => void): Promise<() => void> {
    return this.attach(runId, (subscription) => subscription.listeners, listener);
  }

  /** Calls `listener` with the run's final status when its worker says everything is stored; same subscription as its events. */
  onSettled(runId: string, listener: (status: RunStatus) => void): Promise<() => void> {
    return this.attach(runId, (subscription) => subscription.settledListeners, listener);
  }

  private async attach<T>(runId: string, listenersOf: (subscription: RunSubscription) => Set<T>, listener: T): Promise<() => void> {
    let subscription = this.runs.get(runId);
    if (!subscription) {
      const channel = eventChannel(this.config, runId);
      subscription = {
        listeners: new Set(),
        settledListeners: new Set(),
        recent: [],
        ready: this.subscriber.subscribe(channel).then(() => undefined),
      };
      this.runs.set(runId, subscription);
    }
    const current = subscription;
    listenersOf(current).add(listener);
    await current.ready;
    return () => {
      listenersOf(current).delete(listener);
      if (current.listeners.size > 0 || current.settledListeners.size > 0 || this.runs.get(runId) !== current) return;
      this.runs.delete(runId);
      void this.subscriber.unsubscribe(eventChannel(this.config, runId)).catch(() => {});
    };
  }

  recent(runId: string): RunEvent[] {
    return [...(this.runs.get(runId)?.recent ?? [])];
  }

  /** Runs this server is subscribed to (one Redis subscription each). */
  subscribedRunCount(): number {
    return this.runs.size;
  }
}
