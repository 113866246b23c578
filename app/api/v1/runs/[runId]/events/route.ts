import { z } from "zod";
import { isTerminalRunStatus } from "@/lib/runner/status";
import { defineRoute } from "@/lib/server/route-handler";
import { resumePointOf, runEventStream } from "@/lib/server/sse";

export const dynamic = "force-dynamic";

/** GET /api/v1/runs/{runId}/events — the run's events as SSE, resuming after Last-Event-ID (or ?after=). */
export const GET = defineRoute(
  { permission: "plan:read", params: z.object({ runId: z.string().min(1) }) },
  async ({ app, caller, params, request }) => {
    const scope = { teamId: caller.teamId, userId: caller.userId };
    const subscribe = await app.runs.openEventStream(scope, params.runId, resumePointOf(request));
    return runEventStream(request, subscribe, (event) => event.type === "run.status" && isTerminalRunStatus(event.status));
  },
);
