/**
 * Names and connections shared by web servers and workers: one BullMQ queue
 * per worker tag, one Redis channel per run for its live events, one control
 * channel for cancel, cancel-node and the runs web servers stream live, all
 * under the configured prefix.
 */
import { Redis } from "ioredis";
import * as z from "zod";
import { WorkspaceSandboxSettings } from "../runner/sandbox/sandbox-settings";

/** Where the cluster lives in Redis. */
export interface ClusterConfig {
  redisUrl: string;
  /** Prefix of every key and channel, so clusters (and tests) can share one Redis. */
  prefix: string;
}

/** The BullMQ queue that carries the runs of workspaces tagged `tag`. */
export function queueNameForTag(tag: string): string {
  return `runs-${tag}`;
}

export function eventChannel(config: ClusterConfig, runId: string): string {
  return `${config.prefix}:events:${runId}`;
}

export function controlChannel(config: ClusterConfig): string {
  return `${config.prefix}:control`;
}

/**
 * A Redis connection. BullMQ needs `maxRetriesPerRequest: null` (its
 * blocking commands wait indefinitely) and reconnects on its own, which is
 * what carries a worker or server through a Redis restart.
 */
export function connectRedis(config: ClusterConfig, name: string): Redis {
  const redis = new Redis(config.redisUrl, {
    maxRetriesPerRequest: null,
    connectionName: `${config.prefix}:${name}`,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  // Connection errors while Redis is away are retried by the strategy above; without a listener ioredis prints each one.
  redis.on("error", () => {});
  return redis;
}

/**
 * Where a new run acts and how its commands are contained, sent with its
 * job when the plan runs commands: the worker starts the run's sandbox from
 * it while it claims the run in the database, instead of after.
 */
export const SandboxSpec = z.object({
  /** The workspace's name (a worker may keep it elsewhere on its disk); null for a scratch directory. */
  workspace: z.string().nullable(),
  directory: z.string().min(1),
  settings: WorkspaceSandboxSettings,
  concurrency: z.number().int().positive(),
});
export type SandboxSpec = z.infer<typeof SandboxSpec>;

/** A job in a tag's queue: execute a run (start, resume, or take over from a dead worker), or undo one. */
export const ClusterJob = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("run"), runId: z.string().min(1), sandbox: SandboxSpec.optional() }),
  z.object({ kind: z.literal("undo"), runId: z.string().min(1), force: z.boolean() }),
]);
export type ClusterJob = z.infer<typeof ClusterJob>;

/** A command for whichever worker holds a run, or word that a web server streams runs live (relay their events). */
export const ControlMessage = z.discriminatedUnion("action", [
  z.object({ action: z.literal("cancel"), runId: z.string().min(1) }),
  z.object({ action: z.literal("cancel-node"), runId: z.string().min(1), nodeId: z.string().min(1) }),
  z.object({ action: z.literal("watch"), runIds: z.array(z.string().min(1)).min(1) }),
]);
export type ControlMessage = z.infer<typeof ControlMessage>;

/** Job ids: one "run" job per run at a time, so re-enqueuing a run the queue still holds does nothing. */
export function runJobId(runId: string): string {
  return `run-${runId}`;
}
