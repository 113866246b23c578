/**
 * The web server's in-process runner: one set of runner resources per
 * process, the live handles of the runs this process executes (so they can
 * be cancelled), and team-scoped entry points for server actions and API
 * routes. Permission checks happen in the caller (defineAction, route
 * handler); every entry point here scopes by the caller's team.
 */
import { mkdirSync, mkdtempSync } from "node:fs";
import path from "node:path";
import type { DbClient } from "../db/client";
import { DomainError } from "../db/errors";
import { getPlanVersion } from "../db/plan-versions";
import { getRunForTeam } from "../db/runs";
import { getWorkspace } from "../db/workspaces";
import type { PlanDocument } from "../plan/schema";
import { validatePlan } from "../plan/validate-plan";
import type { RunEvent, RunStatus } from "../runner/run-events";
import type { RunnerResources } from "../runner/resources";
import { RunRegistry } from "../runner/run-registry";
import { nodesToRerun, retryWithRevisedPlan } from "../runner/retry-with-plan";
import { RunRequestError, resumeRun, retryFailedNodes, retryNode, startRun } from "../runner/runs";
import type { RunHandle } from "../runner/scheduler";
import { isTerminalRunStatus } from "../runner/status";
import { undoRun, type UndoResult } from "../runner/undo";

export interface RunScope {
  teamId: string;
  userId: string;
}

export interface StartRunRequest {
  planId: string;
  /** The newest version when left out. */
  versionNumber?: number;
  /** A registered workspace of the team; a fresh scratch directory when left out. */
  workspaceId?: string;
  dryRun?: boolean;
  concurrency?: number;
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
  if (!(error instanceof RunRequestError)) return error;
  switch (error.code) {
    case "not-found":
      return new DomainError("not_found", error.message);
    case "invalid-state":
      return new DomainError("conflict", error.message);
    case "invalid-plan":
    case "unknown-node":
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

/**
 * Events are published the moment they happen but reach the log in batches
 * (every ~50 ms), so the newest ones of a live run are kept here too: a
 * subscriber replays the log, then this buffer, then live events, with no gap.
 */
const RECENT_EVENTS_PER_RUN = 20_000;
/** How long a new subscriber waits for the log to catch up with the buffer (the persister flushes every ~50 ms). */
const LOG_CATCH_UP_MS = 30_000;
const LOG_POLL_MS = 50;
/** How often a run executing in another process (CLI, worker) is polled for new events. */
const FOREIGN_RUN_POLL_MS = 400;

async function waitUntilFinished(handle: RunHandle | undefined, readStatus: () => Promise<RunStatus>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
  try {
    if (handle) return await Promise.race([handle.done.then(() => true, () => true), timeout]);
    // Executing elsewhere (CLI, another server): watch the stored status.
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (isTerminalRunStatus(await readStatus())) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, FOREIGN_RUN_POLL_MS));
    }
  } finally {
    clearTimeout(timer);
  }
}

export function createRunService(deps: { client: DbClient; resources: RunnerResources; scratchRoot: string; recentEventsPerRun?: number }): RunService {
  const { client, resources } = deps;
  const live = new RunRegistry();
  const recent = new Map<string, RunEvent[]>();
  resources.bus.subscribe("*", (event) => {
    // Created on a run's first event: startRun publishes before it returns a handle.
    let buffer = recent.get(event.runId);
    if (!buffer) recent.set(event.runId, (buffer = []));
    buffer.push(event);
    const keep = deps.recentEventsPerRun ?? RECENT_EVENTS_PER_RUN;
    if (buffer.length > keep) buffer.splice(0, buffer.length - keep);
  });

  function track(handle: RunHandle): { runId: string } {
    live.track(handle);
    handle.done
      .catch((error: unknown) => resources.reportError(error))
      // Everything is in the log once `done` resolves.
      .finally(() => recent.delete(handle.runId));
    return { runId: handle.runId };
  }

  async function liveHandleOf(scope: RunScope, runId: string): Promise<RunHandle> {
    await getRunForTeam(client, scope.teamId, runId);
    const handle = live.get(runId);
    if (!handle) throw new DomainError("conflict", "This run is not running on this server");
    return handle;
  }

  async function directoryFor(scope: RunScope, workspaceId: string | undefined) {
    if (workspaceId) return { workspaceId, directory: (await getWorkspace(client, scope.teamId, workspaceId)).directory };
    mkdirSync(deps.scratchRoot, { recursive: true });
    return { workspaceId: null, directory: mkdtempSync(path.join(deps.scratchRoot, "run-")) };
  }

  return {
    async startPlanRun(scope, request) {
      const version = await getPlanVersion(client, scope.teamId, request.planId, request.versionNumber);
      if (version.isDraft) throw new DomainError("invalid", `Version ${version.number} is a draft with problems; fix them and save before running`);
      const validation = validatePlan(version.graph);
      if (!validation.ok) {
        const [first] = validation.problems;
        throw new DomainError("invalid", `Version ${version.number} cannot run: ${first?.message ?? "invalid plan"}`);
      }
      const { workspaceId, directory } = await directoryFor(scope, request.workspaceId);
      const handle = await translated(
        startRun(resources, {
          teamId: scope.teamId,
          planId: request.planId,
          planVersionId: version.id,
          startedById: scope.userId,
          workspaceId,
          plan: validation.plan,
          directory,
          dryRun: request.dryRun,
          concurrency: request.concurrency,
        }),
      );
      return track(handle);
    },
    async cancelRun(scope, runId) {
      (await liveHandleOf(scope, runId)).cancel();
    },
    async cancelNode(scope, runId, nodeId) {
      if (!(await liveHandleOf(scope, runId)).cancelNode(nodeId)) {
        throw new DomainError("conflict", `Node ${nodeId} has already finished`);
      }
    },
    async retryFailed(scope, runId) {
      await getRunForTeam(client, scope.teamId, runId);
      return track(await translated(retryFailedNodes(resources, runId)));
    },
    async retryNode(scope, runId, nodeId) {
      await getRunForTeam(client, scope.teamId, runId);
      return track(await translated(retryNode(resources, runId, nodeId)));
    },
    async retryWithPlan(scope, runId, plan, recordRevision) {
      await getRunForTeam(client, scope.teamId, runId);
      const parent = await resources.store.loadRun(runId);
      if (!parent) throw new DomainError("not_found", `Run ${runId} was not found`);
      await translated(nodesToRerun(resources, parent, plan));
      const planVersionId = await recordRevision();
      return track(await translated(retryWithRevisedPlan(resources, runId, { plan, planVersionId })));
    },
    async resume(scope, runId) {
      await getRunForTeam(client, scope.teamId, runId);
      return track(await translated(resumeRun(resources, runId)));
    },
    async undo(scope, runId, options) {
      await getRunForTeam(client, scope.teamId, runId);
      return translated(undoRun(resources, runId, options));
    },
    async waitForRun(scope, runId, timeoutMs) {
      await getRunForTeam(client, scope.teamId, runId);
      const readStatus = async () => (await getRunForTeam(client, scope.teamId, runId)).status;
      return waitUntilFinished(live.get(runId), readStatus, timeoutMs);
    },
    async openEventStream(scope, runId, afterSeq) {
      const run = await getRunForTeam(client, scope.teamId, runId);
      return async (send) => {
        let lastSent = afterSeq;
        const deliver = (event: RunEvent) => {
          if (event.seq <= lastSent) return;
          lastSent = event.seq;
          send(event);
        };
        const replay = async () => {
          for (const event of await resources.store.listEvents(runId, lastSent)) deliver(event);
        };
        if (!live.get(runId)) {
          await replay();
          if (run.status !== "running" && run.status !== "queued") return () => {};
          // Executing elsewhere (CLI, another server): follow the log.
          const timer = setInterval(() => void replay().catch(resources.reportError), FOREIGN_RUN_POLL_MS);
          return () => clearInterval(timer);
        }
        // Subscribe before reading, so nothing published meanwhile is lost; the
        // sequence number drops what was already delivered.
        const early: RunEvent[] = [];
        let replaying = true;
        const unsubscribe = resources.bus.subscribe(runId, (event) => (replaying ? early.push(event) : deliver(event)));
        await replay();
        const buffered = [...(recent.get(runId) ?? [])];
        // A burst bigger than the buffer may not be in the log yet: wait for the log to reach the buffer.
        for (let waited = 0; (buffered[0]?.seq ?? 0) > lastSent + 1 && waited < LOG_CATCH_UP_MS; waited += LOG_POLL_MS) {
          await new Promise((resolve) => setTimeout(resolve, LOG_POLL_MS));
          await replay();
        }
        for (const event of buffered) deliver(event);
        for (const event of early) deliver(event);
        replaying = false;
        return unsubscribe;
      };
    },
  };
}
