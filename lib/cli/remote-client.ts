/**
 * `batchboard run PLAN.json --server URL --token T`: the same run, on a
 * remote Batchboard over its HTTP API instead of in this process. The plan
 * is checked locally first (same validator), sent inline, its events are
 * streamed until the run ends, and the exit code follows the final status.
 */
import { readFile } from "node:fs/promises";
import { RunEvent } from "../run-events/run-events";
import type { Out } from "./exit-codes";
import { formatProblem, readPlanFile } from "./read-plan";

export interface RemoteRunOptions {
  server: string;
  token: string;
  dryRun: boolean;
  concurrency?: number;
  /** A registered workspace of the token's team, by name or id; a scratch directory on the server when left out. */
  workspace?: string;
  /** `file` holds a tool-call batch instead of a plan; its plan is stored under `name`. */
  calls?: boolean;
  name?: string;
  json: boolean;
  /** Injected by tests; the global fetch otherwise. */
  fetch?: typeof fetch;
}

interface ApiErrorBody {
  error?: { code?: string; message?: string; issues?: { path: string; message: string }[] };
}

const EXIT = { ok: 0, failed: 1 } as const;
const SYMBOL: Record<string, string> = { succeeded: "✓", failed: "✗", skipped: "–", cancelled: "■", interrupted: "!" };

function describeApiError(status: number, body: ApiErrorBody): string {
  const issues = (body.error?.issues ?? []).map((issue) => `\n  ${issue.path || "request"}: ${issue.message}`).join("");
  return `server answered ${status} ${body.error?.code ?? ""}: ${body.error?.message ?? "unexpected answer"}${issues}`;
}

/** Parses an SSE byte stream into run events, calling `onEvent` for each as it arrives. */
export async function readRunEvents(body: ReadableStream<Uint8Array>, onEvent: (event: RunEvent) => void): Promise<void> {
  const decoder = new TextDecoder();
  let buffer = "";
  const reader = body.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    buffer += decoder.decode(value, { stream: !done });
    let boundary = buffer.indexOf("\n\n");
    while (boundary >= 0) {
      const block = buffer.slice(0, boundary);
      buffer = buffer.slice(boundary + 2);
      const data = block
        .split("\n")
        .filter((line) => line.startsWith("data: "))
        .map((line) => line.slice(6))
        .join("\n");
      if (data) onEvent(RunEvent.parse(JSON.parse(data)));
      boundary = buffer.indexOf("\n\n");
    }
    if (done) return;
  }
}

/** The id of the team's workspace called (or with the id) `nameOrId`. */
async function resolveWorkspace(request: typeof fetch, base: string, headers: Record<string, string>, nameOrId: string): Promise<string> {
  const response = await request(`${base}/api/v1/workspaces`, { headers });
  if (!response.ok) throw new Error(describeApiError(response.status, (await response.json().catch(() => ({}))) as ApiErrorBody));
  const { workspaces } = (await response.json()) as { workspaces: Array<{ id: string; name: string }> };
  const found = workspaces.find((workspace) => workspace.name === nameOrId || workspace.id === nameOrId);
  if (!found)
    throw new Error(
      `The server has no workspace "${nameOrId}" in your team; registered: ${workspaces.map((workspace) => workspace.name).join(", ") || "none"}`,
    );
  return found.id;
}

/** What to send: the plan file checked locally, or a calls file as it is (the server compiles it against the workspace). */
async function readRunBody(file: string, options: RemoteRunOptions, out: Out): Promise<Record<string, unknown> | null> {
  if (options.calls) {
    const parsed: unknown = JSON.parse(await readFile(file, "utf8"));
    const calls =
      typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) && "calls" in parsed
        ? (parsed as { calls: unknown }).calls
        : parsed;
    return { calls, ...(options.name ? { name: options.name } : {}) };
  }
  const result = await readPlanFile(file);
  if (!result.ok) {
    for (const problem of result.problems) out.write(`${formatProblem(problem)}\n`);
    return null;
  }
  return { plan: result.plan };
}

/** The run's report; the run row is written a few milliseconds after the event stream ends, so wait for it to say finished. */
async function readReport(
  request: typeof fetch,
  base: string,
  headers: Record<string, string>,
  runId: string,
): Promise<{ status: string; finished: boolean }> {
  for (let attempt = 0; ; attempt += 1) {
    const response = await request(`${base}/api/v1/runs/${runId}/report`, { headers });
    if (!response.ok) throw new Error(describeApiError(response.status, (await response.json().catch(() => ({}))) as ApiErrorBody));
    const report = (await response.json()) as { status: string; finished: boolean };
    if (report.finished || attempt >= 100) return report;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function runRemotely(file: string, options: RemoteRunOptions, out: Out): Promise<number> {
  const request = options.fetch ?? fetch;
  const base = options.server.replace(/\/+$/, "");
  const headers = { authorization: `Bearer ${options.token}`, "content-type": "application/json" };
  const body = await readRunBody(file, options, out);
  if (!body) return EXIT.failed;
  const workspaceId = options.workspace === undefined ? undefined : await resolveWorkspace(request, base, headers, options.workspace);
  const started = await request(`${base}/api/v1/runs`, {
    method: "POST",
    headers,
    body: JSON.stringify({ ...body, dryRun: options.dryRun, concurrency: options.concurrency, workspaceId }),
  });
  if (started.status !== 202) throw new Error(describeApiError(started.status, (await started.json().catch(() => ({}))) as ApiErrorBody));
  const { runId, compiled } = (await started.json()) as { runId: string; compiled?: unknown };
  if (!options.json) out.write(`Run ${runId} started on ${base}\n`);

  const stream = await request(`${base}/api/v1/runs/${runId}/events`, { headers });
  if (!stream.ok || !stream.body) throw new Error(describeApiError(stream.status, (await stream.json().catch(() => ({}))) as ApiErrorBody));
  let finalStatus = "unknown";
  await readRunEvents(stream.body, (event) => {
    if (event.type === "run.status") finalStatus = event.status;
    if (!options.json && event.type === "node.status" && SYMBOL[event.status]) {
      out.write(`${SYMBOL[event.status]} ${event.nodeId} ${event.status}\n`);
    }
  });
  if (options.json) {
    // The same report as a local `run --json`.
    const report = await readReport(request, base, headers, runId);
    finalStatus = report.status;
    out.write(`${JSON.stringify({ ...report, ...(compiled ? { compiled } : {}) }, null, 2)}\n`);
  } else {
    out.write(`Run ${runId} ${finalStatus} — ${base}/runs/${runId}\n`);
  }
  return finalStatus === "succeeded" ? EXIT.ok : EXIT.failed;
}
