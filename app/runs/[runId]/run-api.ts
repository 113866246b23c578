/**
 * The run view's repairs, through the same JSON routes scripts and agents
 * use, so each repair has one server-side entry point.
 */
import type { UndoResult } from "@/lib/runner/undo";

async function post<T>(path: string, body?: unknown): Promise<T> {
  const response = await fetch(`/api/v1/runs/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const message =
      typeof json === "object" && json !== null && "error" in json && typeof json.error === "object" && json.error !== null && "message" in json.error
        ? String(json.error.message)
        : `The server answered ${response.status}`;
    throw new Error(message);
  }
  return json as T;
}

const segment = encodeURIComponent;

export const runApi = {
  cancelRun: (runId: string) => post<{ runId: string }>(`${segment(runId)}/cancel`),
  cancelNode: (runId: string, nodeId: string) => post<{ runId: string }>(`${segment(runId)}/nodes/${segment(nodeId)}/cancel`),
  retryFailed: (runId: string) => post<{ runId: string }>(`${segment(runId)}/retry-failed`),
  retryNode: (runId: string, nodeId: string) => post<{ runId: string }>(`${segment(runId)}/nodes/${segment(nodeId)}/retry`),
  resume: (runId: string) => post<{ runId: string }>(`${segment(runId)}/resume`),
  undo: (runId: string, force: boolean) => post<UndoResult>(`${segment(runId)}/undo`, { force }),
};
