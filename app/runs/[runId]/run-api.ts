/**
 * The run view's repairs and journal reads, through the same JSON routes
 * scripts and agents use, so each has one server-side entry point.
 */
import type { FileChangeDetail, UndoResult } from "@/lib/server/api/run-schemas";

async function call<T>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
  const response = await fetch(`/api/v1/runs/${path}`, {
    method,
    headers: body === undefined ? undefined : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const message =
      typeof json === "object" &&
      json !== null &&
      "error" in json &&
      typeof json.error === "object" &&
      json.error !== null &&
      "message" in json.error
        ? String(json.error.message)
        : `The server answered ${response.status}`;
    throw new Error(message);
  }
  return json as T;
}

const post = <T>(path: string, body?: unknown) => call<T>("POST", path, body);
const segment = encodeURIComponent;

export const runApi = {
  cancelRun: (runId: string) => post<{ runId: string }>(`${segment(runId)}/cancel`),
  cancelNode: (runId: string, nodeId: string) => post<{ runId: string }>(`${segment(runId)}/nodes/${segment(nodeId)}/cancel`),
  retryFailed: (runId: string) => post<{ runId: string }>(`${segment(runId)}/retry-failed`),
  retryNode: (runId: string, nodeId: string) => post<{ runId: string }>(`${segment(runId)}/nodes/${segment(nodeId)}/retry`),
  resume: (runId: string) => post<{ runId: string }>(`${segment(runId)}/resume`),
  undo: (runId: string, force: boolean) => post<UndoResult>(`${segment(runId)}/undo`, { force }),
  change: (runId: string, changeSeq: number) => call<FileChangeDetail>("GET", `${segment(runId)}/changes/${changeSeq}`),
};
