export const dynamic = "force-dynamic";

/** POST /api/v1/runs/{runId}/retry — retry a run, optionally with a revised plan. */
export { retryRunRoute as POST } from "@/lib/server/api/run-routes";
export { GET, PUT, PATCH, DELETE } from "@/lib/server/api/method-not-allowed";
