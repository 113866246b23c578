/**
 * Team-scoped entry points to runs for server actions and API routes, on a
 * RunDispatcher (run-dispatcher.ts: executed in this process, or enqueued
 * for cluster workers), and gap-free event streams for SSE. Permission
 * checks happen in the caller (defineAction, route handler); every entry
 * point here scopes by the caller's team.
 */
import { mkdirSync, mkdtempSync } from "node:fs";
import path from "node:path";
import type { DbClient } from "../db/client";
import { DomainError } from "../db/errors";
import { getPlanVersion } from "../db/plan-versions";
import { getRunForTeam, getRunStatusForTeam } from "../db/runs";
import { getWorkspace, getWorkspaceForRun } from "../db/workspaces";
import type { PlanDocument } from "../plan/schema";
import { WorkspaceSandboxSettings } from "../runner/sandbox/sandbox-settings";
import { validatePlan } from "../plan/validate-plan";
import type { RunEvent, RunStatus } from "../run-events/run-events";
import type { RunnerResources } from "../runner/resources";
import { nodesToRerun } from "../runner/retry-with-plan";
import { RunRequestError } from "../runner/runs";
import { isTerminalRunStatus } from "../run-events/status";
import { Semaphore } from "../runner/semaphore";
import type { UndoResult } from "../runner/undo";
import { createInProcessDispatcher, NotCancellableError, type RunDispatcher } from "./run-dispatcher";
import type { StartRunRequest } from "./start-run-request";

export interface RunScope {
  teamId: string;
  userId: string;
}

/** Starts delivering to `send`; resolves to the unsubscribe. */
export type EventSubscription = (send: (event: RunEvent) => void) => Promise<() => void>;

export interface RunService {
  startPlanRun(scope: RunScope, request: StartRunRequest): Promise<{ runId: string }>;
  cancelRun(scope: RunScope, runId: string): Promise<void>;
  cancelNode(scope: RunScope, runId: string, nodeId: string): Promise<void>;
  retryFailed(scope: RunScope, runId: string): Promise<{ runId: string }>;
  retryNode(scope: RunScope, runId: string, nodeId: string): Promise<{ runId: string }>;
  resume(scope: RunScope, runId: string): Promise<{ runId: string }>;
  /**
   * A retry running `plan` instead of the run's plan (see retryWithRevisedPlan).
   * `recordRevision` stores it as a version of the run's plan and answers the
   * version id; it is called only once the revision was found acceptable.
   */
  retryWithPlan(scope: RunScope, runId: string, plan: PlanDocument, recordRevision: () => Promise<string>): Promise<{ runId: string }>;
  undo(scope: RunScope, runId: string, options: { force?: boolean }): Promise<UndoResult>;
  /**
   * Checks access to a run's events (NotFoundError for another team's run),
   * then returns a subscription that delivers the stored events after
   * `afterSeq` and then live ones, each exactly once and in order: the basis
   * of SSE resume after a reload or a dropped connection.
   */
  openEventStream(scope: RunScope, runId: string, afterSeq: number): Promise<EventSubscription>;
  /** Resolves true once the run has finished and everything is stored, false when `timeoutMs` passes first. */
  waitForRun(scope: RunScope, runId: string, timeoutMs: number): Promise<boolean>;
}

/** RunRequestErrors are the runner's; the app speaks DomainErrors. */
function translateRunRequestError(error: unknown): unknown {
  // By name too: Next may bundle the runner into another chunk with its own copy of the class.
  const isRunRequestError =
    error instanceof RunRequestError || (error instanceof Error && error.name === "RunRequestError" && "code" in error);
  if (!isRunRequestError) return error;
  switch (error.code) {
    case "not-found":
    case "unknown-node":
      return new DomainError("not_found", error.message);
    case "invalid-state":
      return new DomainError("conflict", error.message);
    case "invalid-plan":
      return new DomainError("invalid", error.message);
  }
}

async function translated<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    throw translateRunRequestError(error);
  }
}

/** How long a new subscriber waits for the log to catch up with the buffer (the persister flushes every ~50 ms). */
const LOG_CATCH_UP_MS = 30_000;
const LOG_POLL_MS = 50;
/**
 * How often a run executing in another process (CLI, another server) is
 * polled for new events; also how often a waiting caller reads a run's
 * status when no notice answers (such a run, or one whose last flush failed
 * or whose worker died right after it).
 */
const FOREIGN_RUN_POLL_MS = 400;

/**
 * Whether the run finishes within `timeoutMs` with everything stored (a
 * report read then is complete). The store answers first (`readStatus` is
 * also the caller's access check); then the dispatcher's notice that the
 * run's final state is stored (its own runs, a worker's) answers without
 * another read. Nothing is read while the run's final flush is under way:
 * it would only compete with it. Without a notice, the store is polled.
 */
async function waitUntilFinished(
  dispatcher: RunDispatcher,
  runId: string,
  readStatus: () => Promise<RunStatus>,
  timeoutMs: number,
): Promise<boolean> {
  let settled = false;
  let wake = () => {};
  const stopSettled = await dispatcher.onSettled(runId, (status) => {
    settled = isTerminalRunStatus(status);
    wake();
  });
  const deadline = Date.now() + timeoutMs;
  try {
    let status = await readStatus();
    while (!settled && !isTerminalRunStatus(status)) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, FOREIGN_RUN_POLL_MS));
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = () => {};
      if (!settled) status = await readStatus();
    }
    return true;
  } finally {
    stopSettled();
  }
}

/**
 * A run's final event reaches its streams a few milliseconds before its final
 * status is stored. A client acting on that event (retry, resume, undo) would
 * find the run still "running"; such an action first waits, this long at
 * most, for a run this server saw finish to be stored as finished.
 */
const FINISHED_RUN_STORING_MS = 5_000;

/**
 * Runs a server creates at once. Creating one takes a few reads and a
 * transaction from the database pool (10 connections); a burst of thousands
 * of submissions queued them all there, and transactions waited past their
 * start deadline (P2028). The rest wait their turn here instead, which also
 * leaves the pool to pages and event streams during the burst.
 */
const RUN_CREATIONS_AT_ONCE = 4;

/** Cancel failures are the dispatcher's; the app speaks DomainErrors. */
async function cancelling(work: Promise<void>): Promise<void> {
  try {
    await work;
  } catch (error) {
    throw error instanceof NotCancellableError ? new DomainError("conflict", error.message) : error;
  }
}

export function createRunService(deps: {
  client: DbClient;
  resources: RunnerResources;
  scratchRoot: string;
  recentEventsPerRun?: number;
  /** Where runs execute: in this process unless given (cluster mode passes the queue dispatcher). */
  dispatcher?: RunDispatcher;
}): RunService {
  const { client, resources } = deps;
  const dispatcher = deps.dispatcher ?? createInProcessDispatcher(resources, { recentEventsPerRun: deps.recentEventsPerRun });
  const creations = new Semaphore(RUN_CREATIONS_AT_ONCE);

  /** Creates a run (new, retry or resume) once a creation slot is free. */
  async function admitted<T>(create: () => Promise<T>): Promise<T> {
    await creations.acquire();
    try {
      return await create();
    } finally {
      creations.release();
    }
  }

  /** Where a run acts and in which sandbox: a registered workspace (not archived), or a fresh scratch directory with the default sandbox. */
  async function placeRun(scope: RunScope, workspaceId: string | undefined) {
    if (workspaceId) return getWorkspaceForRun(client, scope.teamId, workspaceId);
    mkdirSync(deps.scratchRoot, { recursive: true });
    return { workspaceId: null, directory: mkdtempSync(path.join(deps.scratchRoot, "run-")), sandbox: WorkspaceSandboxSettings.parse({}) };
  }

  /**
   * The run a retry or resume repairs: they act in its workspace again, so an
   * archived one refuses them too, and a run just finished is waited for until
   * it is stored as finished.
   */
  async function runToRepair(scope: RunScope, runId: string) {
    const run = await getRunForTeam(client, scope.teamId, runId);
    if (run.workspaceId) {
      const workspace = await getWorkspace(client, scope.teamId, run.workspaceId);
      if (workspace.archivedAt) throw new DomainError("conflict", `Workspace "${workspace.name}" is archived; runs cannot start in it`);
    }
    await finishedRunStored(scope, runId);
    return run;
  }

  /** See {@link FINISHED_RUN_STORING_MS}. A run still going is not waited for: the action is refused at once, as it should be. */
  async function finishedRunStored(scope: RunScope, runId: string): Promise<void> {
    const last = dispatcher.recentEvents(runId).at(-1);
    if (last?.type !== "run.status" || !isTerminalRunStatus(last.status)) return;
    await waitUntilFinished(dispatcher, runId, () => getRunStatusForTeam(client, scope.teamId, runId), FINISHED_RUN_STORING_MS);
  }

  return {
    startPlanRun: (scope, request) =>
      admitted(async () => {
        const version = await getPlanVersion(client, scope.teamId, request.planId, request.versionNumber);
        if (version.isDraft)
          throw new DomainError("invalid", `Version ${version.number} is a draft with problems; fix them and save before running`);
        const validation = validatePlan(version.graph);
        if (!validation.ok) {
          const [first] = validation.problems;
          throw new DomainError("invalid", `Version ${version.number} cannot run: ${first?.message ?? "invalid plan"}`);
        }
        const { workspaceId, directory, sandbox } = await placeRun(scope, request.workspaceId);
        return translated(
          dispatcher.start({
            teamId: scope.teamId,
            planId: request.planId,
            planVersionId: version.id,
            startedById: scope.userId,
            workspaceId,
            plan: validation.plan,
            directory,
            sandbox,
            dryRun: request.dryRun,
            concurrency: request.concurrency,
          }),
        );
      }),
    async cancelRun(scope, runId) {
      await getRunForTeam(client, scope.teamId, runId);
      await cancelling(dispatcher.cancel(runId));
    },
    async cancelNode(scope, runId, nodeId) {
      await getRunForTeam(client, scope.teamId, runId);
      await cancelling(dispatcher.cancelNode(runId, nodeId));
    },
    retryFailed: (scope, runId) =>
      admitted(async () => {
        await runToRepair(scope, runId);
        return translated(dispatcher.retryFailed(runId));
      }),
    retryNode: (scope, runId, nodeId) =>
      admitted(async () => {
        await runToRepair(scope, runId);
        return translated(dispatcher.retryNode(runId, nodeId));
      }),
    retryWithPlan: (scope, runId, plan, recordRevision) =>
      admitted(async () => {
        await runToRepair(scope, runId);
        const parent = await resources.store.loadRun(runId);
        if (!parent) throw new DomainError("not_found", `Run ${runId} was not found`);
        await translated(nodesToRerun(resources, parent, plan));
        const planVersionId = await recordRevision();
        return translated(dispatcher.retryWithPlan(runId, { plan, planVersionId }));
      }),
    resume: (scope, runId) =>
      admitted(async () => {
        await runToRepair(scope, runId);
        return translated(dispatcher.resume(runId));
      }),
    async undo(scope, runId, options) {
      await getRunForTeam(client, scope.teamId, runId);
      await finishedRunStored(scope, runId);
      return translated(dispatcher.undo(runId, options));
    },
    waitForRun: (scope, runId, timeoutMs) =>
      // Its first read checks the team too: another team's run throws NotFoundError before anything is waited for.
      waitUntilFinished(dispatcher, runId, () => getRunStatusForTeam(client, scope.teamId, runId), timeoutMs),
    async openEventStream(scope, runId, afterSeq) {
      const run = await getRunForTeam(client, scope.teamId, runId);
      return async (send) => {
        let lastSent = afterSeq;
        let ended = false;
        let closed = false;
        const deliver = (event: RunEvent) => {
          if (closed || event.seq <= lastSent) return;
          lastSent = event.seq;
          if (event.type === "run.status" && isTerminalRunStatus(event.status)) ended = true;
          send(event);
        };
        const replay = async () => {
          for (const event of await resources.store.listEvents(runId, lastSent)) deliver(event);
        };
        if (!dispatcher.isLive(runId, run.status)) {
          await replay();
          if (run.status !== "running" && run.status !== "queued") return () => {};
          // Executing elsewhere (CLI, another server): follow the log.
          const timer = setInterval(() => void replay().catch(resources.reportError), FOREIGN_RUN_POLL_MS);
          return () => clearInterval(timer);
        }
        // Subscribe before reading, so nothing published meanwhile is lost; live events queue behind the
        // replay. What was published before the subscription and is not in the server's buffer (a cluster
        // web server buffers only what it heard) reaches the stream through the log alone, which the
        // run's persister writes a little later: a live event that skips ahead waits for the log to
        // catch up, and until one arrives the log is followed for a tail that may still be on its way.
        const catchUpTo = async (seq: number) => {
          for (let waited = 0; seq > lastSent + 1 && waited < LOG_CATCH_UP_MS; waited += LOG_POLL_MS) {
            if (waited > 0) await new Promise((resolve) => setTimeout(resolve, LOG_POLL_MS));
            await replay();
          }
        };
        const deliverInOrder = async (event: RunEvent) => {
          await catchUpTo(event.seq);
          deliver(event);
        };
        let replayed = () => {};
        let delivering = new Promise<void>((resolve) => (replayed = resolve));
        let heardLive = false;
        const unsubscribe = await dispatcher.subscribe(runId, (event) => {
          heardLive = true;
          delivering = delivering.then(() => deliverInOrder(event)).catch(resources.reportError);
        });
        await replay();
        for (const event of dispatcher.recentEvents(runId)) await deliverInOrder(event);
        replayed();
        const followedSince = Date.now();
        const followLog = setInterval(() => {
          if (heardLive || ended || Date.now() - followedSince > LOG_CATCH_UP_MS) clearInterval(followLog);
          else delivering = delivering.then(replay).catch(resources.reportError);
        }, FOREIGN_RUN_POLL_MS);
        return () => {
          closed = true;
          clearInterval(followLog);
          unsubscribe();
        };
      };
    },
  };
}
