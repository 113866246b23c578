/**
 * Compiles a tool-call batch into a plan whose result equals running the
 * calls one by one in list order, while independent calls run together.
 *
 * Dependencies come from the paths each call touches and from list order: a
 * call waits for every earlier call that writes what it reads or writes, or
 * reads what it writes; a Bash command may touch anything, so it waits for
 * everything before it and everything after it waits for it. Edges are
 * `always`, like calls made one by one: a failed edit does not stop the calls
 * after it. File batches are `independent`, so one failed write never rolls
 * back another call's.
 */
import { globToRegExp } from "./glob";
import type { PlanDocument, PlanEdge, PlanNode } from "./schema";
import { ToolCall, ToolCallList, type CompiledCall, type ToolCallProblem } from "./tool-calls";
import { validatePlan } from "./validate-plan";
import { checkWorkspacePath, normalizeWorkspacePath } from "./workspace-path";

/** Options of {@link compileToolCalls}. */
export interface CompileToolCallsOptions {
  /** Absolute directory of the workspace, so absolute `file_path`s inside it can be mapped. */
  workspaceRoot?: string;
  /** The plan's name (it is stored in the library under it). */
  name?: string;
}

export type ToolCallCompilation = { ok: true; plan: PlanDocument; calls: CompiledCall[] } | { ok: false; problems: ToolCallProblem[] };

const TOOL_NAMES = ToolCall.options.map((option) => option.shape.name.value);

/** What a call reads and writes; `everything` for commands. */
interface Footprint {
  everything: boolean;
  writes: string[];
  /** Exact paths read, or globs of paths read. */
  reads: Array<{ path: string } | { glob: RegExp }>;
}

/**
 * @example
 * const compiled = compileToolCalls([
 *   { name: "Edit", input: { file_path: "src/a.ts", old_string: "foo", new_string: "bar" } },
 *   { name: "Edit", input: { file_path: "src/b.ts", old_string: "foo", new_string: "bar" } },
 *   { name: "Bash", input: { command: "npm test" } },
 * ]);
 * // two edits side by side, then the command after both
 */
export function compileToolCalls(input: unknown, options: CompileToolCallsOptions = {}): ToolCallCompilation {
  const unknownTools = findUnknownTools(input);
  if (unknownTools.length) return { ok: false, problems: unknownTools };
  const parsed = ToolCallList.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => {
        const [index, ...rest] = issue.path;
        const field = rest.filter((key) => key !== "input").join(".");
        return {
          ...(typeof index === "number" ? { callIndex: index } : {}),
          ...(field ? { field } : {}),
          message: typeof index === "number" ? `Call ${index}${field ? ` (${field})` : ""}: ${issue.message}` : issue.message,
        };
      }),
    };
  }
  const problems: ToolCallProblem[] = [];
  const nodes: PlanNode[] = [];
  const footprints: Footprint[] = [];
  const calls: CompiledCall[] = [];
  parsed.data.forEach((call, index) => {
    const mapped = mapCall(call, index, options.workspaceRoot);
    if ("problem" in mapped) {
      problems.push(mapped.problem);
      return;
    }
    nodes.push(mapped.node);
    footprints.push(mapped.footprint);
    calls.push({ callIndex: index, name: call.name, ...(call.id ? { id: call.id } : {}), nodeId: mapped.node.id });
  });
  if (problems.length) return { ok: false, problems };
  const document = {
    name: options.name?.trim() || "Tool calls",
    description: "Compiled from a tool-call batch",
    settings: { fileBatchMode: "independent", failurePolicy: "continue" },
    nodes,
    edges: inferEdges(nodes, footprints),
  };
  const validation = validatePlan(document);
  if (!validation.ok) {
    const indexOf = new Map(calls.map((call) => [call.nodeId, call.callIndex]));
    return {
      ok: false,
      problems: validation.problems.map((problem) => {
        const callIndex = problem.nodeId === undefined ? undefined : indexOf.get(problem.nodeId);
        return {
          ...(callIndex === undefined ? {} : { callIndex }),
          message: callIndex === undefined ? problem.message : `Call ${callIndex}: ${problem.message}`,
        };
      }),
    };
  }
  return { ok: true, plan: validation.plan, calls };
}

function findUnknownTools(input: unknown): ToolCallProblem[] {
  if (!Array.isArray(input)) return [];
  return input.flatMap((call: unknown, callIndex) => {
    const name = typeof call === "object" && call !== null ? (call as { name?: unknown }).name : undefined;
    if (typeof name === "string" && (TOOL_NAMES as string[]).includes(name)) return [];
    return [
      {
        callIndex,
        field: "name",
        message: `Call ${callIndex}: unknown tool ${JSON.stringify(name ?? null)}; use one of ${TOOL_NAMES.join(", ")}`,
      },
    ];
  });
}

/** Grep's output modes as a search's `output`. */
const GREP_OUTPUTS = { content: "lines", files_with_matches: "files", count: "count" } as const;

type Mapped = { node: PlanNode; footprint: Footprint } | { problem: ToolCallProblem };

function mapCall(call: ToolCall, index: number, workspaceRoot: string | undefined): Mapped {
  const id = `call${index}-${call.name.toLowerCase()}`;
  const relative = (raw: string, field: string) => toWorkspacePath(raw, workspaceRoot, index, field);
  switch (call.name) {
    case "Write": {
      const path = relative(call.input.file_path, "file_path");
      if (typeof path !== "string") return path;
      return {
        node: { id, type: "file.write", checkpoint: false, params: { path, content: call.input.content, ifExists: "overwrite" } },
        footprint: { everything: false, writes: [path], reads: [] },
      };
    }
    case "Edit":
    case "MultiEdit": {
      const path = relative(call.input.file_path, "file_path");
      if (typeof path !== "string") return path;
      const steps = call.name === "Edit" ? [call.input] : call.input.edits;
      const edits = steps.map((step) => ({ find: step.old_string, replace: step.new_string, ...(step.replace_all ? { all: true } : {}) }));
      return {
        node: { id, type: "file.edit", checkpoint: false, params: { path, edits } },
        footprint: { everything: false, writes: [path], reads: [{ path }] },
      };
    }
    case "Read": {
      const path = relative(call.input.file_path, "file_path");
      if (typeof path !== "string") return path;
      const lineWindow = {
        ...(call.input.offset ? { offset: call.input.offset } : {}),
        ...(call.input.limit !== undefined ? { limit: call.input.limit } : {}),
      };
      return {
        node: { id, type: "file.read", checkpoint: false, params: { paths: [path], maxBytes: 1024 * 1024, ...lineWindow } },
        footprint: { everything: false, writes: [], reads: [{ path }] },
      };
    }
    case "Grep": {
      const base = call.input.path === undefined ? "." : relative(call.input.path, "path");
      if (typeof base !== "string") return base;
      const glob = grepGlob(base, call.input.glob);
      const matcher = globToRegExp(glob);
      if (!matcher)
        return { problem: { callIndex: index, field: "glob", message: `Call ${index} (glob): "${call.input.glob}" is not a valid glob` } };
      return {
        node: {
          id,
          type: "search",
          checkpoint: false,
          params: {
            pattern: call.input.pattern,
            regex: true,
            glob,
            caseSensitive: !call.input["-i"],
            maxMatches: 1_000,
            output: GREP_OUTPUTS[call.input.output_mode],
            hidden: false,
            noIgnore: false,
          },
        },
        footprint: { everything: false, writes: [], reads: [{ glob: matcher }] },
      };
    }
    case "Bash":
      return {
        node: {
          id,
          type: "shell",
          checkpoint: false,
          ...(call.input.description ? { label: call.input.description.slice(0, 200) } : {}),
          ...(call.input.timeout !== undefined ? { timeoutMs: call.input.timeout } : {}),
          params: { command: call.input.command, cwd: ".", env: {}, background: call.input.run_in_background, keepRunning: false },
        },
        footprint: { everything: true, writes: [], reads: [] },
      };
  }
}

/** The search glob of a Grep: like ripgrep, a glob without a slash matches file names at any depth; no glob means the path itself or anything under it. */
function grepGlob(base: string, glob: string | undefined): string {
  const prefix = base === "." ? "" : `${base}/`;
  if (glob === undefined) return base === "." ? "**/*" : `{${base},${base}/**/*}`;
  return glob.includes("/") ? `${prefix}${glob}` : `${prefix}**/${glob}`;
}

/** A workspace-relative path for `raw`; absolute paths must lie inside `workspaceRoot`. */
function toWorkspacePath(
  raw: string,
  workspaceRoot: string | undefined,
  callIndex: number,
  field: string,
): string | { problem: ToolCallProblem } {
  const fail = (message: string) => ({ problem: { callIndex, field, message: `Call ${callIndex} (${field}): ${message}` } });
  let path = raw;
  if (raw.startsWith("/")) {
    if (!workspaceRoot)
      return fail(`"${raw}" is absolute, but the run has no workspace directory to map it into; use a path relative to the workspace`);
    const root = workspaceRoot.replace(/\/+$/, "");
    if (raw !== root && !raw.startsWith(`${root}/`)) return fail(`"${raw}" is outside the workspace ${root}`);
    path = raw.slice(root.length + 1) || ".";
  }
  const problem = checkWorkspacePath(path, field);
  if (problem) return fail(problem.message);
  return normalizeWorkspacePath(path) ?? path;
}

function conflicts(earlier: Footprint, later: Footprint): boolean {
  if (earlier.everything || later.everything) return true;
  const reads = (footprint: Footprint, path: string) =>
    footprint.reads.some((read) => ("path" in read ? read.path === path : read.glob.test(path)));
  return (
    earlier.writes.some((path) => later.writes.includes(path) || reads(later, path)) || later.writes.some((path) => reads(earlier, path))
  );
}

/** Edges from conflicts in list order, without edges another path already implies. */
function inferEdges(nodes: readonly PlanNode[], footprints: readonly Footprint[]): PlanEdge[] {
  const edges: PlanEdge[] = [];
  const ancestors: Array<Set<number>> = [];
  for (let later = 0; later < nodes.length; later += 1) {
    const direct: number[] = [];
    for (let earlier = later - 1; earlier >= 0; earlier -= 1) {
      if (!conflicts(footprints[earlier] as Footprint, footprints[later] as Footprint)) continue;
      // Scanning backwards, an earlier conflict reached through a later one needs no edge of its own.
      if (direct.some((kept) => ancestors[kept]?.has(earlier))) continue;
      direct.push(earlier);
    }
    const mine = new Set<number>();
    for (const from of direct) {
      mine.add(from);
      for (const ancestor of ancestors[from] ?? []) mine.add(ancestor);
      edges.push({ from: (nodes[from] as PlanNode).id, to: (nodes[later] as PlanNode).id, when: "always" });
    }
    ancestors.push(mine);
  }
  return edges;
}
