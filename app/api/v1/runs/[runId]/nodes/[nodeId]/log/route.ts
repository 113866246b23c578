export const dynamic = "force-dynamic";

/** GET /api/v1/runs/{runId}/nodes/{nodeId}/log — a node's stored stdout and stderr, in order, as text. */
export { getNodeLogRoute as GET } from "@/lib/server/api/run-routes";
export { POST, PATCH, PUT, DELETE } from "@/lib/server/api/method-not-allowed";
