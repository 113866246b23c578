/**
 * `batchboard run PLAN.json --server URL --token T`: the same run, on a
 * remote Batchboard over its HTTP API instead of in this process. The plan
 * is checked locally first (same validator), sent inline, its events are
 * streamed until the run ends, and the exit code follows the final status.
 */
import { RunEvent } from "../runner/run-events";
import { formatProblem, readPlanFile } from "./read-plan";

type Out = Pick<NodeJS.WriteStream, "write">;

export interface RemoteRunOptions {
  server: string;
  token: string;
  dryRun: boolean;
  concurrency?: number;
  /** A registered workspace of the token's team; a scratch directory on the server when left out. */
  workspaceId?: string;
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

export async function runRemotely(file: string, options: RemoteRunOptions, out: Out): Promise<number> {
  const request = options.fetch ?? fetch;
  const base = options.server.replace(/\/+$/, "");
  const headers = { authorization: `Bearer ${options.token}`, "content-type": "application/json" };
  const result = await readPlanFile(file);
  if (!result.ok) {
    for (const problem of result.problems) out.write(`${formatProblem(problem)}\n`);
    return EXIT.failed;
  }
  const started = await request(`${base}/api/v1/runs`, {
    method: "POST",
    headers,
    body: JSON.stringify({ plan: result.plan, dryRun: options.dryRun, concurrency: options.concurrency, workspaceId: options.workspaceId }),
  });
  if (started.status !== 202) throw new Error(describeApiError(started.status, (await started.json().catch(() => ({}))) as ApiErrorBody));
  const { runId } = (await started.json()) as { runId: string };
  if (!options.json) out.write(`Run ${runId} started on ${base}\n`);

  const stream = await request(`${base}/api/v1/runs/${runId}/events`, { headers });
  if (!stream.ok || !stream.body) throw new Error(describeApiError(stream.status, (await stream.json().catch(() => ({}))) as ApiErrorBody));
  let finalStatus = "unknown";
  const events: RunEvent[] = [];
  await readRunEvents(stream.body, (event) => {
    events.push(event);
    if (event.type === "run.status") finalStatus = event.status;
    if (!options.json && event.type === "node.status" && SYMBOL[event.status]) {
      out.write(`${SYMBOL[event.status]} ${event.nodeId} ${event.status}\n`);
    }
  });
  if (options.json) {
    out.write(`${JSON.stringify({ runId, status: finalStatus, server: base, events: events.length })}\n`);
  } else {
    out.write(`Run ${runId} ${finalStatus} — ${base}/runs/${runId}\n`);
  }
  return finalStatus === "succeeded" ? EXIT.ok : EXIT.failed;
}
