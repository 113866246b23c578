export const dynamic = "force-dynamic";

/** GET /api/v1/runs/{runId}/events — the run's events as SSE, resuming after Last-Event-ID (or ?after=). */
export { streamRunEventsRoute as GET } from "@/lib/server/api/run-routes";
export { POST, PATCH, PUT, DELETE } from "@/lib/server/api/method-not-allowed";
