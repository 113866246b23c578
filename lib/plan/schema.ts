/**
 * The plan document: the one contract shared by the editor, the server, the
 * CLI, the HTTP API and the runner. Each zod schema and its inferred type
 * share a name. Graph rules (cycles, dangling edges, workspace paths…) live in
 * the validator, not here: these schemas check shape only.
 */
import { z } from "zod";

export const PLAN_FORMAT_VERSION = 1;

/** Node ids appear in URLs, logs and CLI output, so keep them plain. */
export const NodeId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, "Use 1–64 letters, digits, '.', '_' or '-', starting with a letter or digit");
export type NodeId = z.infer<typeof NodeId>;

/** A workspace-relative path; the validator rejects escapes and absolute forms. */
export const WorkspacePath = z.string().describe("Path relative to the workspace root");
export type WorkspacePath = z.infer<typeof WorkspacePath>;

const Milliseconds = z.number().int().nonnegative();

export const FailurePolicy = z.enum(["continue", "stop"]);
export type FailurePolicy = z.infer<typeof FailurePolicy>;

export const FileBatchMode = z.enum(["atomic", "independent"]);
export type FileBatchMode = z.infer<typeof FileBatchMode>;

export const PlanSettings = z.object({
  concurrency: z.number().int().min(1).max(256).default(8).describe("Most operations running at once in one run"),
  failurePolicy: FailurePolicy.default("continue").describe(
    "continue: skip dependents of a failed node, keep independent branches; stop: cancel the rest",
  ),
  retries: z.number().int().min(0).max(20).default(0).describe("Default retries per node"),
  retryBackoffMs: Milliseconds.max(3_600_000).default(1_000).describe("First retry delay; doubles each attempt"),
  timeoutMs: Milliseconds.min(1).max(86_400_000).default(600_000).describe("Default per-node timeout"),
  batching: z.boolean().default(true).describe("Group independent same-kind operations into batches"),
  fileBatchMode: FileBatchMode.default("atomic").describe("atomic: all writes of a file batch apply or none"),
});
export type PlanSettings = z.infer<typeof PlanSettings>;

export const Position = z.object({ x: z.number(), y: z.number() });
export type Position = z.infer<typeof Position>;

export const FileWriteParams = z.object({
  path: WorkspacePath,
  content: z.string(),
  ifExists: z.enum(["overwrite", "fail", "skip"]).default("overwrite"),
});
export type FileWriteParams = z.infer<typeof FileWriteParams>;

export const FileEdit = z.object({
  find: z.string().min(1, "The text to find cannot be empty"),
  replace: z.string(),
  all: z.boolean().optional().describe("Replace every occurrence instead of requiring exactly one"),
});
export type FileEdit = z.infer<typeof FileEdit>;

export const FileEditParams = z.object({
  path: WorkspacePath,
  edits: z.array(FileEdit).min(1, "Add at least one edit"),
});
export type FileEditParams = z.infer<typeof FileEditParams>;

export const FileDeleteParams = z.object({
  path: WorkspacePath,
  missingOk: z.boolean().default(false).describe("Succeed when the file does not exist"),
});
export type FileDeleteParams = z.infer<typeof FileDeleteParams>;

export const FileMoveParams = z.object({
  from: WorkspacePath,
  to: WorkspacePath,
  overwrite: z.boolean().default(false),
});
export type FileMoveParams = z.infer<typeof FileMoveParams>;

export const FileReadParams = z.object({
  paths: z.array(WorkspacePath).default([]).describe("Files to read"),
  glob: z.string().optional().describe("Glob of files to read, relative to the workspace"),
  maxBytes: z.number().int().min(1).max(64 * 1024 * 1024).default(1024 * 1024).describe("Cap per file"),
});
export type FileReadParams = z.infer<typeof FileReadParams>;

const SearchPattern = z.string().min(1, "The pattern cannot be empty");

/** A search that is a check: how many matching lines each pattern must have. */
export const SearchExpectation = z.union([
  z.enum(["none", "any"]),
  z
    .object({
      min: z.number().int().min(0).optional().describe("Fewest matching lines each pattern must have"),
      max: z.number().int().min(0).optional().describe("Most matching lines each pattern may have"),
    })
    .refine((range) => range.min !== undefined || range.max !== undefined, "Give min, max or both")
    .refine((range) => range.min === undefined || range.max === undefined || range.min <= range.max, "min cannot exceed max"),
]);
export type SearchExpectation = z.infer<typeof SearchExpectation>;

export const SearchParams = z
  .object({
    pattern: SearchPattern.optional().describe("The text (or regular expression) to find; use `patterns` for several"),
    patterns: z
      .array(SearchPattern)
      .min(1, "Give at least one pattern")
      .max(100)
      .optional()
      .describe("Several patterns searched in one pass; each is counted and checked on its own, and each match names its pattern"),
    regex: z.boolean().default(false).describe("Treat the pattern(s) as regular expressions (JavaScript syntax), matched within one line"),
    glob: z.string().default("**/*").describe("Files to search, relative to the workspace"),
    caseSensitive: z.boolean().default(true),
    maxMatches: z.number().int().min(1).max(100_000).default(1_000).describe("Most matches kept (all patterns together)"),
    expect: SearchExpectation.optional().describe(
      'Makes the search a check that fails the node: "none": no pattern may match; "any": every pattern must match; {min, max}: each pattern\'s count of matching lines must be in range',
    ),
    hidden: z.boolean().default(false).describe("Also search hidden files and directories (names starting with '.'); .git is never searched"),
    noIgnore: z.boolean().default(false).describe("Also search what .gitignore files exclude, and node_modules"),
  })
  .refine((params) => (params.pattern === undefined) !== (params.patterns === undefined), {
    message: "Give either `pattern` or `patterns`, not both and not neither",
    path: ["pattern"],
  });
export type SearchParams = z.infer<typeof SearchParams>;

/** The patterns of a search, whichever form it was given in. */
export function searchPatternsOf(params: Pick<SearchParams, "pattern" | "patterns">): string[] {
  return params.patterns ?? (params.pattern === undefined ? [] : [params.pattern]);
}

export const ReadyWhen = z.union([
  z.object({ output: z.string().min(1).describe("Regular expression matched against stdout/stderr") }),
  z.object({ port: z.number().int().min(1).max(65_535).describe("TCP port on 127.0.0.1 that accepts connections") }),
]);
export type ReadyWhen = z.infer<typeof ReadyWhen>;

export const ShellParams = z.object({
  command: z.string().min(1, "The command cannot be empty"),
  cwd: WorkspacePath.default("."),
  env: z.record(z.string(), z.string()).default({}),
  background: z.boolean().default(false).describe("Succeed once ready and keep running while dependents run"),
  readyWhen: ReadyWhen.optional(),
  keepRunning: z.boolean().default(false).describe("Leave a background command running after the run ends"),
});
export type ShellParams = z.infer<typeof ShellParams>;

const nodeCommon = {
  id: NodeId,
  label: z.string().max(200).optional(),
  position: Position.optional(),
  retries: z.number().int().min(0).max(20).optional().describe("Overrides the plan's default retries"),
  timeoutMs: Milliseconds.min(1).max(86_400_000).optional().describe("Overrides the plan's default timeout"),
  checkpoint: z.boolean().default(false).describe("Never merge this node into a batch with others"),
};

export const FileWriteNode = z.object({ ...nodeCommon, type: z.literal("file.write"), params: FileWriteParams });
export const FileEditNode = z.object({ ...nodeCommon, type: z.literal("file.edit"), params: FileEditParams });
export const FileDeleteNode = z.object({ ...nodeCommon, type: z.literal("file.delete"), params: FileDeleteParams });
export const FileMoveNode = z.object({ ...nodeCommon, type: z.literal("file.move"), params: FileMoveParams });
export const FileReadNode = z.object({ ...nodeCommon, type: z.literal("file.read"), params: FileReadParams });
export const SearchNode = z.object({ ...nodeCommon, type: z.literal("search"), params: SearchParams });
export const ShellNode = z.object({ ...nodeCommon, type: z.literal("shell"), params: ShellParams });

export const PlanNode = z.discriminatedUnion("type", [
  FileWriteNode,
  FileEditNode,
  FileDeleteNode,
  FileMoveNode,
  FileReadNode,
  SearchNode,
  ShellNode,
]);
export type PlanNode = z.infer<typeof PlanNode>;

export type OperationType = PlanNode["type"];
export const OPERATION_TYPES = [
  "file.write",
  "file.edit",
  "file.delete",
  "file.move",
  "file.read",
  "search",
  "shell",
] as const satisfies readonly OperationType[];

/** The params type of one operation type. */
export type ParamsOf<T extends OperationType> = Extract<PlanNode, { type: T }>["params"];

export const EdgeCondition = z.enum(["success", "failure", "always"]);
export type EdgeCondition = z.infer<typeof EdgeCondition>;

export const PlanEdge = z.object({
  id: z.string().min(1).max(140).optional(),
  from: NodeId,
  to: NodeId,
  when: EdgeCondition.default("success").describe(
    "success: run after `from` succeeds; failure: only if it failed; always: in any case (cleanup)",
  ),
});
export type PlanEdge = z.infer<typeof PlanEdge>;

export const PlanDocument = z.object({
  $schema: z.string().optional(),
  formatVersion: z.literal(PLAN_FORMAT_VERSION).default(PLAN_FORMAT_VERSION),
  name: z.string().trim().min(1, "Give the plan a name").max(200),
  description: z.string().max(10_000).default(""),
  settings: PlanSettings.default(PlanSettings.parse({})),
  nodes: z.array(PlanNode),
  edges: z.array(PlanEdge).default([]),
});
export type PlanDocument = z.infer<typeof PlanDocument>;
/** A plan as written by hand: defaults may be left out. */
export type PlanDocumentInput = z.input<typeof PlanDocument>;

/** The id an edge is known by in reports and in the editor. */
export function edgeIdOf(edge: Pick<PlanEdge, "id" | "from" | "to">): string {
  return edge.id ?? `${edge.from}->${edge.to}`;
}
