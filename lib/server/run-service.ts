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
import { getWorkspace, getWorkspaceForRun } from "../db/workspaces";
import { WorkspaceSandboxSettings } from "../runner/sandbox/sandbox-settings";
import { validatePlan } from "../plan/validate-plan";
import type { RunEvent } from "../runner/run-events";
import type { RunnerResources } from "../runner/resources";
import { RunRegistry } from "../runner/run-registry";
import { RunRequestError, resumeRun, retryFailedNodes, retryNode, startRun } from "../runner/runs";
import type { RunHandle } from "../runner/scheduler";
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
  undo(scope: RunScope, runId: string, options: { force?: boolean }): Promise<UndoResult>;
  /**
   * Checks access to a run's events (NotFoundError for another team's run),
   * then returns a subscription that delivers the stored events after
   * `afterSeq` and then live ones, each exactly once and in order: the basis
   * of SSE resume after a reload or a dropped connection.
   */
  openEventStream(scope: RunScope, runId: string, afterSeq: number): Promise<EventSubscription>;
}

/** RunRequestErrors are the runner's; the app speaks DomainErrors. */
function translateRunRequestError(error: unknown): unknown {
  // By name too: Next may bundle the runner into another chunk with its own copy of the class.
  const isRunRequestError = error instanceof RunRequestError || (error instanceof Error && error.name === "RunRequestError" && "code" in error);
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

  /** Where a run acts and in which sandbox: a registered workspace (not archived), or a fresh scratch directory with the default sandbox. */
  async function placeRun(scope: RunScope, workspaceId: string | undefined) {
    if (workspaceId) return getWorkspaceForRun(client, scope.teamId, workspaceId);
    mkdirSync(deps.scratchRoot, { recursive: true });
    return { workspaceId: null, directory: mkdtempSync(path.join(deps.scratchRoot, "run-")), sandbox: WorkspaceSandboxSettings.parse({}) };
  }

  /** Retries and resumes act in the run's workspace again, so an archived one refuses them too. */
  async function runInActiveWorkspace(scope: RunScope, runId: string) {
    const run = await getRunForTeam(client, scope.teamId, runId);
    if (run.workspaceId) {
      const workspace = await getWorkspace(client, scope.teamId, run.workspaceId);
      if (workspace.archivedAt) throw new DomainError("conflict", `Workspace "${workspace.name}" is archived; runs cannot start in it`);
    }
    return run;
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
      const { workspaceId, directory, sandbox } = await placeRun(scope, request.workspaceId);
      const handle = await translated(
        startRun(resources, {
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
      await runInActiveWorkspace(scope, runId);
      return track(await translated(retryFailedNodes(resources, runId)));
    },
    async retryNode(scope, runId, nodeId) {
      await runInActiveWorkspace(scope, runId);
      return track(await translated(retryNode(resources, runId, nodeId)));
    },
    async resume(scope, runId) {
      await runInActiveWorkspace(scope, runId);
      return track(await translated(resumeRun(resources, runId)));
    },
    async undo(scope, runId, options) {
      await getRunForTeam(client, scope.teamId, runId);
      return translated(undoRun(resources, runId, options));
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
