/**
 * The run API on the real in-process runner and real databases: an inline
 * plan started with a token, its events streamed to completion, per-node
 * results read back; permissions both ways per role; another team's run,
 * events, retry and cancel indistinguishable from a missing run.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as z from "zod";
import type { RoleName } from "../../auth/schemas";
import { RunEvent } from "../../run-events/run-events";
import { addMemberWithRole, createTeamWithMember, createTokenFor } from "../../testing/fixtures";
import { callRoute, createTestApp } from "../../testing/test-app";
import { createTestDatabase, TEST_PROVIDERS, type TestDatabase } from "../../testing/test-database";
import type { AppContext } from "../app-context";
import { cancelNodeRoute, resumeRunRoute, retryNodeRoute, undoRunRoute } from "./run-repair-routes";
import {
  cancelRunRoute,
  getFileChangeRoute,
  getNodeLogRoute,
  getRunRoute,
  listRunsRoute,
  retryFailedRoute,
  startRunRoute,
  streamRunEventsRoute,
} from "./run-routes";

const inlinePlan = (name: string, command = "grep -q hello out/hello.txt && echo checked") => ({
  name,
  nodes: [
    { id: "write", type: "file.write", params: { path: "out/hello.txt", content: "hello\n" } },
    { id: "check", type: "shell", params: { command } },
  ],
  edges: [{ from: "write", to: "check" }],
});

/** Reads the SSE body to its end (the server closes it at the run's final status). */
async function readEvents(response: Response): Promise<RunEvent[]> {
  const text = await response.text();
  return text
    .split("\n")
    .filter((line) => line.startsWith("data: "))
    .map((line) => RunEvent.parse(JSON.parse(line.slice("data: ".length))));
}

interface StoredRun {
  run: {
    status: string;
    parentRunId: string | null;
    nodes: { nodeId: string; status: string; exitCode: number | null; reused: boolean }[];
  };
}

describe.each(TEST_PROVIDERS)("run API on %s", (provider) => {
  let db: TestDatabase;
  let app: AppContext;
  const tokens = {} as Record<RoleName, string>;
  let outsider: string;
  let outsiderTeamId: string;
  const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });

  async function startInline(role: RoleName, plan: unknown) {
    return callRoute(startRunRoute.withApp(app), { method: "POST", path: "/api/v1/runs", headers: bearer(tokens[role]), body: { plan } });
  }
  async function streamToEnd(runId: string, secret = tokens.viewer) {
    return callRoute(streamRunEventsRoute.withApp(app), {
      path: `/api/v1/runs/${runId}/events`,
      params: { runId },
      headers: bearer(secret),
    });
  }

  /**
   * The stream delivers events the moment they happen; the run row is written
   * in batches a few milliseconds later, so a client reading right after the
   * stream ends may briefly see the previous status.
   */
  async function readStoredRun(runId: string): Promise<StoredRun> {
    for (let attempt = 0; ; attempt += 1) {
      const response = await callRoute(getRunRoute.withApp(app), { path: "/x", params: { runId }, headers: bearer(tokens.viewer) });
      const body = (await response.json()) as StoredRun;
      if (!["queued", "running"].includes(body.run.status) || attempt > 100) return body;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  beforeAll(async () => {
    db = await createTestDatabase(provider);
    const { team, user } = await createTeamWithMember(db.client, "owner");
    app = createTestApp(db, { team, owner: user, workspace: { id: "unused", name: "default", directory: "/nonexistent" } });
    tokens.owner = (await createTokenFor(db.client, user.id, team.id)).secret;
    for (const role of ["editor", "runner", "viewer"] as const) {
      tokens[role] = (await createTokenFor(db.client, (await addMemberWithRole(db.client, team.id, role)).id, team.id)).secret;
    }
    const other = await createTeamWithMember(db.client, "owner");
    outsider = (await createTokenFor(db.client, other.user.id, other.team.id)).secret;
    outsiderTeamId = other.team.id;
  });
  afterAll(async () => {
    // A run's last flush lands a few milliseconds after its stream ends; the database must outlive it.
    for (let waited = 0; waited < 5_000; waited += 50) {
      if ((await db.client.run.count({ where: { status: { in: ["queued", "running"] } } })) === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await db.destroy();
  });

  it("runs an inline plan sent with a token, streams its events to completion, and reports per-node results", async () => {
    const started = await startInline("editor", inlinePlan("inline hello"));
    expect(started.status).toBe(202);
    const { runId, planId } = (await started.json()) as { runId: string; planId: string };
    expect(planId).toBeTruthy();

    const stream = await streamToEnd(runId);
    expect(stream.headers.get("content-type")).toContain("text/event-stream");
    const events = await readEvents(stream);
    const seqs = events.map((event) => event.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(events.at(-1)).toMatchObject({ type: "run.status", status: "succeeded" });

    const body = await readStoredRun(runId);
    expect(body.run.status).toBe("succeeded");
    expect(body.run.nodes.map((node) => [node.nodeId, node.status])).toEqual([
      ["check", "succeeded"],
      ["write", "succeeded"],
    ]);
    expect(body.run.nodes.find((node) => node.nodeId === "check")?.exitCode).toBe(0);

    // The change event names its journal entry; the diff is computed from the journal on request.
    const change = events.find((event) => event.type === "file.change");
    expect(change).toMatchObject({ nodeId: "write", path: "out/hello.txt", operation: "create", changeSeq: 1 });
    expect(change).not.toHaveProperty("diff");
    const detail = await callRoute(getFileChangeRoute.withApp(app), {
      path: "/x",
      params: { runId, changeSeq: "1" },
      headers: bearer(tokens.viewer),
    });
    expect(await detail.json()).toEqual({
      changeSeq: 1,
      nodeId: "write",
      path: "out/hello.txt",
      operation: "create",
      diff: "--- /dev/null\n+++ b/out/hello.txt\n@@ -0,0 +1,1 @@\n+hello\n",
      revertedAt: null,
    });
    const unknown = await callRoute(getFileChangeRoute.withApp(app), {
      path: "/x",
      params: { runId, changeSeq: "9" },
      headers: bearer(tokens.viewer),
    });
    expect(unknown.status).toBe(404);

    // Resuming after the last event gives nothing new, and the stream still ends.
    const resumed = await callRoute(streamRunEventsRoute.withApp(app), {
      path: "/x",
      params: { runId },
      headers: { ...bearer(tokens.viewer), "last-event-id": String(seqs.at(-1)) },
    });
    expect(await readEvents(resumed)).toEqual([]);

    const log = await callRoute(getNodeLogRoute.withApp(app), {
      path: "/x",
      params: { runId, nodeId: "check" },
      headers: bearer(tokens.viewer),
    });
    expect(await log.text()).toContain("checked");

    const list = (await (await callRoute(listRunsRoute.withApp(app), { path: "/api/v1/runs", headers: bearer(tokens.viewer) })).json()) as {
      runs: { id: string }[];
    };
    expect(list.runs.map((run) => run.id)).toContain(runId);
  });

  it("lets a runner start a stored plan and retry failures, but not send new plans; a viewer can do neither", async () => {
    const started = await startInline("owner", inlinePlan("fails once", "exit 3"));
    const { runId, planId } = (await started.json()) as { runId: string; planId: string };
    const events = await readEvents(await streamToEnd(runId));
    expect(events.at(-1)).toMatchObject({ type: "run.status", status: "failed" });

    expect((await startInline("runner", inlinePlan("runner's own plan"))).status).toBe(403);
    expect((await startInline("viewer", inlinePlan("viewer's own plan"))).status).toBe(403);
    const viewerStored = await callRoute(startRunRoute.withApp(app), {
      method: "POST",
      path: "/x",
      headers: bearer(tokens.viewer),
      body: { planId },
    });
    expect(viewerStored.status).toBe(403);
    const viewerRetry = await callRoute(retryFailedRoute.withApp(app), {
      method: "POST",
      path: "/x",
      params: { runId },
      headers: bearer(tokens.viewer),
    });
    expect(viewerRetry.status).toBe(403);

    const retried = await callRoute(retryFailedRoute.withApp(app), {
      method: "POST",
      path: "/x",
      params: { runId },
      headers: bearer(tokens.runner),
    });
    expect(retried.status).toBe(202);
    const retry = (await retried.json()) as { runId: string };
    expect(retry.runId).not.toBe(runId);
    await readEvents(await streamToEnd(retry.runId));
    const retryDetail = await readStoredRun(retry.runId);
    expect(retryDetail.run.parentRunId).toBe(runId);
    expect(retryDetail.run.nodes.find((node) => node.nodeId === "write")?.reused).toBe(true);

    const runnerStored = await callRoute(startRunRoute.withApp(app), {
      method: "POST",
      path: "/x",
      headers: bearer(tokens.runner),
      body: { planId, dryRun: true },
    });
    expect(runnerStored.status).toBe(202);
    await readEvents(await streamToEnd(((await runnerStored.json()) as { runId: string }).runId));
  });

  it("tells a bare plan to be wrapped as {plan: …} and starts nothing", async () => {
    const bare = await callRoute(startRunRoute.withApp(app), {
      method: "POST",
      path: "/api/v1/runs",
      headers: bearer(tokens.owner),
      body: { name: "Bare", nodes: [{ id: "a", type: "shell", params: { command: "true" } }] },
    });
    expect(bare.status).toBe(400);
    const { error } = (await bare.json()) as { error: { issues: { message: string }[] } };
    expect(error.issues.map((issue) => issue.message)).toContain('This looks like a bare plan: wrap it as {"plan": …}');
    const empty = await startInline("owner", { name: "Nothing", nodes: [] });
    expect(empty.status).toBe(422);
    expect(await empty.json()).toMatchObject({ error: { issues: [{ path: "plan.nodes", code: "empty-plan" }] } });
  });

  it("cancels a running run", async () => {
    const started = await startInline("editor", { name: "slow", nodes: [{ id: "wait", type: "shell", params: { command: "sleep 30" } }] });
    const { runId } = (await started.json()) as { runId: string };
    const stream = streamToEnd(runId);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const cancelled = await callRoute(cancelRunRoute.withApp(app), {
      method: "POST",
      path: "/x",
      params: { runId },
      headers: bearer(tokens.runner),
    });
    expect(cancelled.status).toBe(202);
    expect((await readEvents(await stream)).at(-1)).toMatchObject({ type: "run.status", status: "cancelled" });
  });

  it("makes another team's run, events, retry and cancel answer exactly like a missing run", async () => {
    const { runId } = (await (await startInline("editor", inlinePlan("private"))).json()) as { runId: string };
    await readEvents(await streamToEnd(runId));
    const missing = "c0000000000000000000000000";
    for (const [handler, method] of [
      [getRunRoute, "GET"],
      [streamRunEventsRoute, "GET"],
      [retryFailedRoute, "POST"],
      [cancelRunRoute, "POST"],
      [getNodeLogRoute, "GET"],
      [getFileChangeRoute, "GET"],
      [cancelNodeRoute, "POST"],
      [retryNodeRoute, "POST"],
      [resumeRunRoute, "POST"],
      [undoRunRoute, "POST"],
    ] as const) {
      const theirs = await callRoute(handler.withApp(app), {
        method,
        path: "/x",
        params: { runId, nodeId: "check", changeSeq: "1" },
        headers: bearer(outsider),
      });
      const none = await callRoute(handler.withApp(app), {
        method,
        path: "/x",
        params: { runId: missing, nodeId: "check", changeSeq: "1" },
        headers: bearer(outsider),
      });
      expect(theirs.status).toBe(404);
      expect(await theirs.json()).toEqual(await none.json());
    }
    const list = (await (await callRoute(listRunsRoute.withApp(app), { path: "/x", headers: bearer(outsider) })).json()) as {
      runs: unknown[];
    };
    expect(list.runs).toEqual([]);

    // Runs act only in the caller's team's workspaces: another team's workspace reads as missing.
    const theirWorkspace = await db.client.workspace.create({
      data: { teamId: outsiderTeamId, name: "theirs", directory: "/tmp/not-yours" },
    });
    const intoTheirs = await callRoute(startRunRoute.withApp(app), {
      method: "POST",
      path: "/x",
      headers: bearer(tokens.editor),
      body: { plan: inlinePlan("trespass"), workspaceId: theirWorkspace.id },
    });
    expect(intoTheirs.status).toBe(404);
  });

  it("with ?batch=1 sends the same events, a burst per message whose id is its last event's", async () => {
    const { runId } = (await (await startInline("editor", inlinePlan("batched"))).json()) as { runId: string };
    const batched = await callRoute(streamRunEventsRoute.withApp(app), {
      path: `/api/v1/runs/${runId}/events?batch=1`,
      params: { runId },
      headers: bearer(tokens.viewer),
    });
    const messages = (await batched.text()).split("\n\n").filter((block) => block.includes("data: "));
    const batches = messages.map((block) => ({
      id: Number(/^id: (\d+)$/m.exec(block)?.[1]),
      events: z.array(RunEvent).parse(JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? "null")),
    }));
    for (const batch of batches) expect(batch.id).toBe(batch.events.at(-1)?.seq);
    const events = batches.flatMap((batch) => batch.events);
    expect(batches.length).toBeLessThan(events.length);
    expect(events.map((event) => event.seq)).toEqual((await readEvents(await streamToEnd(runId))).map((event) => event.seq));
    expect(events.at(-1)).toMatchObject({ type: "run.status", status: "succeeded" });
  });

  it("answers an invalid inline plan with its problems at their paths", async () => {
    const response = await startInline("editor", {
      name: "bad",
      nodes: [{ id: "w", type: "file.write", params: { path: "../x", content: "" } }],
    });
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({
      error: { code: "invalid", issues: [expect.objectContaining({ path: "plan.nodes.0.params.path", nodeId: "w" })] },
    });
    const both = await callRoute(startRunRoute.withApp(app), {
      method: "POST",
      path: "/x",
      headers: bearer(tokens.editor),
      body: { planId: "x", plan: {} },
    });
    expect(both.status).toBe(400);
  });
});
