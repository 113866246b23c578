/**
 * A web server's one Redis subscription per watched run carries the run's
 * events; its one subscription to the settled channel carries every worker's
 * notices that runs are stored. Real Redis, a private prefix.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RunEventBus } from "../runner/event-bus";
import type { RunEvent } from "../run-events/run-events";
import { ensureRedis, TEST_REDIS_URL } from "../testing/services";
import { connectRedis, type ClusterConfig } from "./cluster-config";
import { publishRunSettled, relayRunEvents, RemoteRunEvents } from "./event-relay";

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

  it("delivers a run's events over one subscription however many listen, and its settled notice to its waiters only", async () => {
    const remote = new RemoteRunEvents(subscriber, config);
    const bus = new RunEventBus();
    const stopRelay = relayRunEvents(bus, publisher, config);
    const seen: RunEvent[][] = [[], []];
    const settled: string[] = [];
    const stops = await Promise.all([
      remote.subscribe("run-1", (event) => seen[0]?.push(event)),
      remote.subscribe("run-1", (event) => seen[1]?.push(event)),
      remote.onSettled("run-1", (status) => settled.push(status)),
      remote.onSettled("run-2", (status) => settled.push(`run-2 ${status}`)),
    ]);
    // Waiting for a run takes no subscription of its own.
    expect(remote.subscribedRunCount()).toBe(1);

    const final: RunEvent = { type: "run.status", status: "succeeded", runId: "run-1", seq: 1, at: Date.now() };
    bus.publish(final);
    await eventually(() => seen.every((events) => events.length === 1));
    expect(settled).toEqual([]);
    await publishRunSettled(publisher, config, "run-1", "succeeded");
    await eventually(() => settled.length === 1);
    expect(settled).toEqual(["succeeded"]);
    expect(seen.map((events) => events.length)).toEqual([1, 1]);

    for (const stop of stops) stop();
    expect(remote.subscribedRunCount()).toBe(0);
    // A notice after its waiters left reaches no one; the next notice's arrival shows it had its chance (one channel keeps order).
    const stopLast = await remote.onSettled("run-3", (status) => settled.push(`run-3 ${status}`));
    await publishRunSettled(publisher, config, "run-1", "failed");
    await publishRunSettled(publisher, config, "run-3", "failed");
    await eventually(() => settled.length === 2);
    expect(settled).toEqual(["succeeded", "run-3 failed"]);
    stopLast();
    stopRelay();
  });
});
