export const dynamic = "force-dynamic";

/** GET /api/v1/runs/{runId}/report — the run's report (the same document as `run --json` and the MCP tools). */
export { getRunReportRoute as GET } from "@/lib/server/api/run-routes";
export { POST, PUT, PATCH, DELETE } from "@/lib/server/api/method-not-allowed";
