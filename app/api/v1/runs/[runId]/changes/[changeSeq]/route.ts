export const dynamic = "force-dynamic";

/** GET /api/v1/runs/{runId}/changes/{changeSeq} — one journalled file change with its diff. */
export { getFileChangeRoute as GET } from "@/lib/server/api/run-routes";
export { POST, PATCH, PUT, DELETE } from "@/lib/server/api/method-not-allowed";
