/**
 * A web server's one Redis subscription per watched run carries the run's
 * events, which a worker relays once a server says it watches the run.
 * Real Redis, a private prefix.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RunEventBus } from "../runner/event-bus";
import type { RunEvent } from "../run-events/run-events";
import { ensureRedis, TEST_REDIS_URL } from "../testing/services";
import { connectRedis, ControlMessage, controlChannel, eventChannel, type ClusterConfig } from "./cluster-config";
import { relayRunEvents, RemoteRunEvents, WatchedRuns } from "./event-relay";

async function eventually(check: () => boolean): Promise<void> {
  for (const deadline = Date.now() + 5_000; !check(); ) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("event relay through Redis", () => {
  const config: ClusterConfig = {
    redisUrl: TEST_REDIS_URL,
    prefix: `bbtest-relay-${process.pid}-${Math.random().toString(36).slice(2, 8)}`,
  };
  let publisher: ReturnType<typeof connectRedis>;
  let subscriber: ReturnType<typeof connectRedis>;

  beforeAll(async () => {
    await ensureRedis();
    publisher = connectRedis(config, "test-publisher");
    subscriber = connectRedis(config, "test-subscriber");
  });
  afterAll(() => {
    publisher.disconnect();
    subscriber.disconnect();
  });

  it("delivers a run's events over one subscription however many listen", async () => {
    const remote = new RemoteRunEvents({ subscriber, publisher }, config);
    const bus = new RunEventBus();
    const stopRelay = relayRunEvents(bus, publisher, config);
    const seen: RunEvent[][] = [[], []];
    const stops = await Promise.all([
      remote.subscribe("run-1", (event) => seen[0]?.push(event)),
      remote.subscribe("run-1", (event) => seen[1]?.push(event)),
    ]);
    expect(remote.subscribedRunCount()).toBe(1);
    bus.publish({ type: "run.status", status: "succeeded", runId: "run-1", seq: 1, at: Date.now() });
    await eventually(() => seen.every((events) => events.length === 1));
    for (const stop of stops) stop();
    expect(remote.subscribedRunCount()).toBe(0);
    stopRelay();
    remote.close();
  });

  it("relays a run's events only once a server has said it watches the run, and until its word lapses", async () => {
    const webSubscriber = connectRedis(config, "test-web-subscriber");
    const workerControl = connectRedis(config, "test-worker-control");
    const eavesdropper = connectRedis(config, "test-eavesdropper");
    const remote = new RemoteRunEvents({ subscriber: webSubscriber, publisher }, config, { watchRenewMs: 100 });
    // The worker's side: its control subscription feeds the runs it relays.
    const watched = new WatchedRuns(300);
    const words: string[][] = [];
    await workerControl.subscribe(controlChannel(config));
    workerControl.on("message", (_channel: string, message: string) => {
      const command = ControlMessage.parse(JSON.parse(message));
      if (command.action !== "watch") return;
      words.push(command.runIds);
      watched.watch(command.runIds);
    });
    const bus = new RunEventBus();
    const stopRelay = relayRunEvents(bus, publisher, config, (runId) => watched.has(runId));
    const onChannels: string[] = [];
    await eavesdropper.psubscribe(eventChannel(config, "*"));
    eavesdropper.on("pmessage", (_pattern: string, channel: string) => onChannels.push(channel));
    const event = (runId: string, seq: number): RunEvent => ({ type: "run.status", status: "running", runId, seq, at: Date.now() });

    // Nobody watches yet: nothing reaches Redis.
    bus.publish(event("watched", 1));
    bus.publish(event("unwatched", 1));
    const seen: RunEvent[] = [];
    const stop = await remote.subscribe("watched", (received) => seen.push(received));
    await eventually(() => watched.has("watched"));
    bus.publish(event("watched", 2));
    bus.publish(event("unwatched", 2));
    await eventually(() => seen.length === 1);
    expect(seen.map((received) => received.seq)).toEqual([2]);
    // The word is repeated while the server watches, so the run stays relayed past one lapse.
    await eventually(() => words.length >= 4);
    expect(watched.has("watched")).toBe(true);
    expect(onChannels).toEqual([eventChannel(config, "watched")]);

    stop();
    const wordsWhenStopped = words.length;
    await eventually(() => !watched.has("watched"));
    expect(words.length).toBeLessThanOrEqual(wordsWhenStopped + 1);
    bus.publish(event("watched", 3));
    // A message published after it arrives after anything the relay would have sent for it.
    await publisher.publish(eventChannel(config, "marker"), "[]");
    await eventually(() => onChannels.length === 2);
    expect(onChannels).toEqual([eventChannel(config, "watched"), eventChannel(config, "marker")]);

    stopRelay();
    remote.close();
    for (const connection of [webSubscriber, workerControl, eavesdropper]) connection.disconnect();
  });
});
