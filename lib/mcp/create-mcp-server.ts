/**
 * Batchboard's MCP server: the tools an agent uses to hand over a whole
 * batch in one call, read what happened, fix and retry, and undo; plus the
 * plan JSON Schema and the docs as resources. Input and output schemas are
 * the project's zod schemas. One server per connection (stdio) or per
 * request (stateless Streamable HTTP); all state lives behind the backend.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import * as z from "zod";
import { ExecutionPlan } from "../plan/execution-plan";
import { planJsonSchemaText } from "../plan/json-schema";
import { optimizePlan } from "../plan/optimize-plan";
import { PlanProblem } from "../plan/plan-problem";
import { ToolCall } from "../plan/tool-calls";
import { validatePlan } from "../plan/validate-plan";
import { RunReport } from "../runner/run-report";
import { LibraryPlan, NodeOutput, RunToolResult, StoredPlan, UndoOutcome, type AgentBackend } from "./agent-backend";

/** Reported to clients in the initialize handshake. */
export const MCP_SERVER_VERSION = "0.1.0";

export interface McpServerOptions {
  /** Where docs/*.md live, served as resources. */
  docsDirectory: string;
  version: string;
}

const DOCS = [
  { name: "agents", file: "agents.md", title: "For agents: MCP setup, tool-call batches, the run report" },
  { name: "plan-format", file: "plan-format.md", title: "The plan format: node types, parameters, edges, settings" },
  { name: "api", file: "api.md", title: "The HTTP API (v1)" },
] as const;

const runId = z.string().min(1).describe("A run id, as returned by run_plan, run_batch or retry_run");
const waitSeconds = z
  .number()
  .min(0)
  .max(600)
  .default(60)
  .describe(
    "How long to wait for the run to finish before answering; if it is still running you get finished:false and the progress, then call get_run",
  );
const workspace = z
  .string()
  .optional()
  .describe(
    "A registered workspace of the team, by name or id (the directory the run acts in); a fresh empty scratch directory when left out",
  );
const planInput = z
  .record(z.string(), z.unknown())
  .describe("A plan document (see the batchboard://schema/plan.json resource): {name, nodes:[{id,type,params}], edges:[{from,to}]}");

/** Successful tool answer: the structured value, and the same as text for clients that only read text. */
function answer<T extends Record<string, unknown>>(value: T): CallToolResult {
  return { content: [{ type: "text", text: JSON.stringify(value, null, 2) }], structuredContent: value };
}

/** A failure the model can act on: the message and every issue with the field it names. */
function failure(error: unknown): CallToolResult {
  const message = error instanceof Error ? error.message : String(error);
  const issues = (error as { issues?: Array<{ path?: string; message: string }> }).issues ?? [];
  const details = issues.map((issue) => `\n- ${issue.path ? `${issue.path}: ` : ""}${issue.message}`).join("");
  return { isError: true, content: [{ type: "text", text: `${message}${details}` }] };
}

async function attempt(work: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await work();
  } catch (error) {
    return failure(error);
  }
}

/**
 * @example
 * const server = createMcpServer(backend, { docsDirectory: "docs", version: "0.1.0" });
 * await server.connect(new StdioServerTransport());
 */
export function createMcpServer(backend: AgentBackend, options: McpServerOptions): McpServer {
  const server = new McpServer({ name: "batchboard", version: options.version });

  server.registerTool(
    "validate_plan",
    {
      title: "Validate a plan",
      description:
        "Check a Batchboard plan without running it: shape, graph rules (cycles, unknown nodes), workspace paths, regex safety. Every problem names the node and field. Use before run_plan when you wrote the plan by hand.",
      inputSchema: { plan: planInput },
      outputSchema: { ok: z.boolean(), problems: z.array(PlanProblem), warnings: z.array(PlanProblem) },
      annotations: { readOnlyHint: true },
    },
    async ({ plan }) => {
      const result = validatePlan(plan);
      return answer({ ok: result.ok, problems: result.ok ? [] : result.problems, warnings: result.warnings });
    },
  );

  server.registerTool(
    "plan_batches",
    {
      title: "Show how a plan would run",
      description:
        "The optimizer's execution plan for a plan: topological waves, the batches independent operations are grouped into, the critical path, and hazards (unordered writes to one path, a read racing a write, cycles). Nothing runs.",
      inputSchema: { plan: planInput },
      outputSchema: ExecutionPlan.shape,
      annotations: { readOnlyHint: true },
    },
    async ({ plan }) =>
      attempt(async () => {
        const result = validatePlan(plan);
        if (!result.ok)
          throw Object.assign(new Error(`The plan has ${result.problems.length} problem(s)`), {
            issues: result.problems.map((problem) => ({ path: problem.path.join("."), message: problem.message })),
          });
        return answer(optimizePlan(result.plan));
      }),
  );

  server.registerTool(
    "run_plan",
    {
      title: "Run a plan and wait for its report",
      description:
        "Run a plan (inline, or a stored one by planId) in a workspace and wait up to waitSeconds for it to finish. The answer holds the whole report: per node its status, exit code, output tails, error (with the edit index for a failed edit), diffs of the files it changed, why skipped nodes were skipped, which node rolled a batch back, and which nodes a retry would run. Independent operations run in parallel batches; failed nodes do not stop independent branches. Use dryRun:true to see the diffs without writing anything.",
      inputSchema: {
        plan: planInput.optional(),
        planId: z.string().optional().describe("Run a plan stored in the team library instead (see list_plans)"),
        versionNumber: z.number().int().positive().optional(),
        workspace,
        dryRun: z.boolean().default(false),
        waitSeconds,
      },
      outputSchema: RunToolResult.shape,
    },
    async (input) => attempt(async () => answer(await backend.run(input))),
  );

  server.registerTool(
    "run_batch",
    {
      title: "Run a batch of tool calls",
      description:
        "Hand over the Write, Edit, MultiEdit, Read, Grep and Bash calls you would otherwise make one by one, as {name, input} objects with those tools' usual inputs. They are compiled into a plan whose result equals running them in list order: calls touching the same paths keep their order, a Bash command waits for every call before it and every call after it waits for it, and independent calls run together. Absolute file paths must lie inside the workspace. A call that cannot be mapped is refused with its index. The answer has the compiled plan (saved to the library under `name`) and the run's report, where node `callN-<tool>` is call N.",
      inputSchema: {
        calls: z
          .array(ToolCall)
          .min(1)
          .describe(
            'e.g. [{"name":"Edit","input":{"file_path":"src/a.ts","old_string":"foo","new_string":"bar"}},{"name":"Bash","input":{"command":"npm test"}}]',
          ),
        name: z.string().optional().describe('The library name the compiled plan is saved under (default "Tool calls")'),
        workspace,
        dryRun: z.boolean().default(false),
        waitSeconds,
      },
      outputSchema: RunToolResult.shape,
    },
    async (input) => attempt(async () => answer(await backend.run(input))),
  );

  server.registerTool(
    "get_run",
    {
      title: "Get a run's report",
      description:
        "The report of a run, finished or still running: per-node status, exit codes, output tails, errors, diffs, skip and rollback reasons, and the nodes a retry would run.",
      inputSchema: { runId },
      outputSchema: RunReport.shape,
      annotations: { readOnlyHint: true },
    },
    async ({ runId: id }) => attempt(async () => answer(await backend.report(id))),
  );

  server.registerTool(
    "read_output",
    {
      title: "Read a node's output",
      description:
        "A command node's stdout and stderr from a byte offset on, also while it runs (a background server, a long build). Call again with nextOffset to read only new output; finished:true means nothing more will come.",
      inputSchema: {
        runId,
        nodeId: z.string().min(1),
        offset: z.number().int().min(0).default(0).describe("Byte offset to read from (0 for everything)"),
      },
      outputSchema: NodeOutput.shape,
      annotations: { readOnlyHint: true },
    },
    async ({ runId: id, nodeId, offset }) => attempt(async () => answer(await backend.readOutput(id, nodeId, offset))),
  );

  server.registerTool(
    "retry_run",
    {
      title: "Retry a run, optionally with a fixed plan",
      description:
        "Start a new run that reruns a finished run's failed, skipped and cancelled nodes and reuses its successes. Pass a revised plan to fix what failed: nodes that are new or whose definition changed also rerun, with everything downstream of them; unchanged successes are reused. Keep node ids stable: a revision that drops or renames a node whose file changes are still in the workspace is refused. Waits like run_plan.",
      inputSchema: { runId, plan: planInput.optional().describe("The revised plan (same node ids for what should be kept)"), waitSeconds },
      outputSchema: RunToolResult.shape,
    },
    async ({ runId: id, plan, waitSeconds: wait }) => attempt(async () => answer(await backend.retry(id, plan, wait))),
  );

  server.registerTool(
    "cancel_run",
    {
      title: "Cancel a running run",
      description: "Stop a running run: running commands are killed, nodes not started are cancelled. Finished nodes keep their results.",
      inputSchema: { runId },
      outputSchema: { runId: z.string(), cancelling: z.boolean() },
      annotations: { destructiveHint: true },
    },
    async ({ runId: id }) =>
      attempt(async () => {
        await backend.cancel(id);
        return answer({ runId: id, cancelling: true });
      }),
  );

  server.registerTool(
    "undo_run",
    {
      title: "Undo a run's file changes",
      description:
        "Restore every file a run changed to its bytes before the run; for a retry, the changes of the whole retry chain. Files changed since the run are reported as conflicts and nothing is restored unless force:true. Fails (instead of reporting success) when there is nothing left to restore.",
      inputSchema: { runId, force: z.boolean().default(false).describe("Also restore files changed since the run") },
      outputSchema: UndoOutcome.shape,
      annotations: { destructiveHint: true },
    },
    async ({ runId: id, force }) => attempt(async () => answer(await backend.undo(id, force))),
  );

  server.registerTool(
    "list_plans",
    {
      title: "List the team's plans",
      description:
        "Plans in the team library (name, description, tags, newest version), optionally filtered by a search over name, description and tags.",
      inputSchema: { search: z.string().optional() },
      outputSchema: { plans: z.array(LibraryPlan) },
      annotations: { readOnlyHint: true },
    },
    async ({ search }) => attempt(async () => answer({ plans: await backend.listPlans(search) })),
  );

  server.registerTool(
    "get_plan",
    {
      title: "Get a stored plan",
      description:
        "A plan of the team library with its document (the newest version unless versionNumber), ready to edit and pass to run_plan or retry_run.",
      inputSchema: { planId: z.string().min(1), versionNumber: z.number().int().positive().optional() },
      outputSchema: StoredPlan.shape,
      annotations: { readOnlyHint: true },
    },
    async ({ planId, versionNumber }) => attempt(async () => answer(await backend.getPlan(planId, versionNumber))),
  );

  server.registerResource(
    "plan-schema",
    "batchboard://schema/plan.json",
    { title: "Plan JSON Schema", description: "The JSON Schema of a Batchboard plan document", mimeType: "application/schema+json" },
    async (uri) => ({ contents: [{ uri: uri.href, mimeType: "application/schema+json", text: planJsonSchemaText() }] }),
  );
  for (const doc of DOCS) {
    server.registerResource(doc.name, `batchboard://docs/${doc.file}`, { title: doc.title, mimeType: "text/markdown" }, async (uri) => ({
      contents: [{ uri: uri.href, mimeType: "text/markdown", text: await readFile(path.join(options.docsDirectory, doc.file), "utf8") }],
    }));
  }
  return server;
}
