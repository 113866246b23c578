import { z } from "zod";
import { defineRoute } from "@/lib/server/route-handler";

export const dynamic = "force-dynamic";

/** GET /api/v1/runs/{runId}/nodes/{nodeId}/log — a node's stored stdout and stderr, in order, as text. */
export const GET = defineRoute(
  { permission: "plan:read", params: z.object({ runId: z.string().min(1), nodeId: z.string().min(1) }) },
  async ({ app, caller, params }) => {
    // Replays what is stored (and buffered, for a live run), then stops listening.
    const subscribe = await app.runs.openEventStream({ teamId: caller.teamId, userId: caller.userId }, params.runId, 0);
    const chunks: string[] = [];
    const stop = await subscribe((event) => {
      if (event.type === "node.output" && event.nodeId === params.nodeId) chunks.push(event.data);
    });
    stop();
    return new Response(chunks.join(""), {
      headers: {
        "content-type": "text/plain; charset=utf-8",
        "content-disposition": `attachment; filename="${params.runId}-${params.nodeId}.log"`,
      },
    });
  },
);
