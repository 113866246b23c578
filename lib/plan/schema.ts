/**
 * The plan document: the one contract shared by the editor, the server, the
 * CLI, the HTTP API and the runner. Each zod schema and its inferred type
 * share a name. Graph rules (cycles, dangling edges, workspace paths…) live in
 * the validator, not here: these schemas check shape only.
 */
import * as z from "zod";
import { MAX_RUN_CONCURRENCY, MIN_RUN_CONCURRENCY } from "./run-concurrency";

export const PLAN_FORMAT_VERSION = 1;

/** Node ids appear in URLs, logs and CLI output, so keep them plain. */
export const NodeId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, "Use 1–64 letters, digits, '.', '_' or '-', starting with a letter or digit");
export type NodeId = z.infer<typeof NodeId>;

/**
 * What the JSON Schema can say about a workspace path: not absolute, no drive
 * letter, no leading "..", no NUL, not blank. The validator's path rule
 * (workspace-path.ts) checks the rest (a ".." further in that leaves the root).
 */
const WORKSPACE_PATH_PATTERN = String.raw`^(?![/\\]|[A-Za-z]:|\.\.(?:[/\\]|$))(?=[\s\S]*\S)[^\u0000]*$`;

/** A workspace-relative path; the validator rejects escapes and absolute forms. */
export const WorkspacePath = z
  .string()
  .meta({ pattern: WORKSPACE_PATH_PATTERN })
  .describe(
    'Path relative to the workspace root, with "/" between folders, e.g. "src/index.ts"; never absolute, never leaving the root with ".."',
  );
export type WorkspacePath = z.infer<typeof WorkspacePath>;

const Milliseconds = z.number().int().nonnegative();

export const FailurePolicy = z.enum(["continue", "stop"]);
export type FailurePolicy = z.infer<typeof FailurePolicy>;

export const FileBatchMode = z.enum(["atomic", "independent"]);
export type FileBatchMode = z.infer<typeof FileBatchMode>;

/** A run's concurrency limit (see run-concurrency.ts). */
export const RunConcurrency = z.number().int().min(MIN_RUN_CONCURRENCY).max(MAX_RUN_CONCURRENCY);

export const PlanSettings = z
  .strictObject({
    concurrency: RunConcurrency.default(8).describe(
      `Most operations running at once in one run (${MIN_RUN_CONCURRENCY}–${MAX_RUN_CONCURRENCY})`,
    ),
    failurePolicy: FailurePolicy.default("continue").describe(
      "continue: skip dependents of a failed node, keep independent branches; stop: cancel the rest",
    ),
    retries: z.number().int().min(0).max(20).default(0).describe("Default retries per node (0–20)"),
    retryBackoffMs: Milliseconds.max(3_600_000).default(1_000).describe("First retry delay in milliseconds; doubles each attempt"),
    timeoutMs: Milliseconds.min(1).max(86_400_000).default(600_000).describe("Default per-node timeout in milliseconds"),
    batching: z.boolean().default(true).describe("Group independent same-kind operations into batches"),
    fileBatchMode: FileBatchMode.default("atomic").describe(
      "atomic: all writes of a file batch apply or none; independent: each write applies on its own",
    ),
  })
  .describe("Run-wide defaults; every field may be left out");
export type PlanSettings = z.infer<typeof PlanSettings>;

export const Position = z
  .strictObject({
    x: z.number().describe("Horizontal position on the canvas, in pixels"),
    y: z.number().describe("Vertical position on the canvas, in pixels"),
  })
  .describe("Where the editor draws the node; has no effect on running");
export type Position = z.infer<typeof Position>;

export const FileContentEncoding = z.enum(["utf8", "base64"]);
export type FileContentEncoding = z.infer<typeof FileContentEncoding>;

export const FileWriteParams = z.strictObject({
  path: WorkspacePath,
  content: z.string().describe('The whole new content of the file: text, or base64 when "encoding" is "base64"'),
  encoding: FileContentEncoding.optional().describe(
    "utf8 (the default): content is the text itself; base64: content is base64 of the exact bytes (binary files)",
  ),
  ifExists: z
    .enum(["overwrite", "fail", "skip"])
    .default("overwrite")
    .describe("When the file already exists: overwrite it, fail the node, or skip (leave it as it is)"),
});
export type FileWriteParams = z.infer<typeof FileWriteParams>;

export const FileEdit = z.strictObject({
  find: z
    .string()
    .min(1, "The text to find cannot be empty")
    .describe("Exact text to find (not a regular expression); must differ from replace"),
  replace: z.string().describe("Text that takes its place"),
  all: z.boolean().optional().describe("true: replace every occurrence; otherwise the text must occur exactly once"),
});
export type FileEdit = z.infer<typeof FileEdit>;

export const FileEditParams = z.strictObject({
  path: WorkspacePath,
  edits: z
    .array(FileEdit)
    .min(1, "Add at least one edit")
    .describe("Replacements applied in order; the node fails, changing nothing, if one does not match"),
});
export type FileEditParams = z.infer<typeof FileEditParams>;

export const FileDeleteParams = z.strictObject({
  path: WorkspacePath,
  missingOk: z.boolean().default(false).describe("Succeed when the file does not exist"),
});
export type FileDeleteParams = z.infer<typeof FileDeleteParams>;

export const FileMoveParams = z.strictObject({
  from: WorkspacePath.describe("The file to move, relative to the workspace root"),
  to: WorkspacePath.describe("Its new path, relative to the workspace root"),
  overwrite: z.boolean().default(false).describe("Replace an existing file at `to`; otherwise the node fails"),
});
export type FileMoveParams = z.infer<typeof FileMoveParams>;

export const FileReadParams = z.strictObject({
  paths: z.array(WorkspacePath).default([]).describe("Files to read, relative to the workspace root"),
  glob: z.string().optional().describe('Glob of files to read, relative to the workspace root, e.g. "src/**/*.ts"'),
  maxBytes: z
    .number()
    .int()
    .min(1)
    .max(64 * 1024 * 1024)
    .default(1024 * 1024)
    .describe("Cap per file in bytes; longer files are cut"),
  offset: z.number().int().min(1).optional().describe("First line to return (1-based); lines before it are left out"),
  limit: z.number().int().min(1).optional().describe("Most lines to return, from `offset` (or the first line)"),
});
export type FileReadParams = z.infer<typeof FileReadParams>;

/** Longest regular expression a plan may hold; the validator's default limit says the same. */
export const MAX_REGEX_LENGTH = 2_000;

const SearchPattern = z.string().min(1, "The pattern cannot be empty").max(MAX_REGEX_LENGTH);

/** A search that is a check: how many matching lines each pattern must have. */
export const SearchExpectation = z.union([
  z.enum(["none", "any"]).describe('"none": no pattern may match; "any": every pattern must match'),
  z
    .strictObject({
      min: z.number().int().min(0).optional().describe("Fewest matching lines each pattern must have"),
      max: z.number().int().min(0).optional().describe("Most matching lines each pattern may have"),
    })
    .refine((range) => range.min !== undefined || range.max !== undefined, "Give min, max or both")
    .meta({ minProperties: 1 })
    .refine((range) => range.min === undefined || range.max === undefined || range.min <= range.max, "min cannot exceed max"),
]);
export type SearchExpectation = z.infer<typeof SearchExpectation>;

export const SearchParams = z
  .strictObject({
    pattern: SearchPattern.optional().describe("The text (or regular expression) to find; use `patterns` for several"),
    patterns: z
      .array(SearchPattern)
      .min(1, "Give at least one pattern")
      .max(100)
      .optional()
      .describe("Several patterns searched in one pass; each is counted and checked on its own, and each match names its pattern"),
    regex: z.boolean().default(false).describe("Treat the pattern(s) as regular expressions (JavaScript syntax), matched within one line"),
    glob: z.string().default("**/*").describe("Files to search, relative to the workspace"),
    caseSensitive: z.boolean().default(true).describe("false: match regardless of case"),
    maxMatches: z
      .number()
      .int()
      .min(1)
      .max(100_000)
      .default(1_000)
      .describe('Most matching lines kept (all patterns together); with `output` "files" or "count", most files listed'),
    expect: SearchExpectation.optional().describe(
      'Makes the search a check that fails the node: "none": no pattern may match; "any": every pattern must match; {min, max}: each pattern\'s count of matching lines must be in range',
    ),
    output: z
      .enum(["lines", "files", "count"])
      .default("lines")
      .describe(
        'What the result lists: "lines": each matching line; "files": the files with a match; "count": each such file with its count of matching lines',
      ),
    hidden: z
      .boolean()
      .default(false)
      .describe("Also search hidden files and directories (names starting with '.'); .git is never searched"),
    noIgnore: z.boolean().default(false).describe("Also search what .gitignore files exclude, and node_modules"),
  })
  .refine((params) => (params.pattern === undefined) !== (params.patterns === undefined), {
    message: "Give either `pattern` or `patterns`, not both and not neither",
    path: ["pattern"],
  })
  // The same rule for the JSON Schema, which cannot see the refinement.
  .meta({
    oneOf: [
      { required: ["pattern"], properties: { pattern: { description: "One pattern" } } },
      { required: ["patterns"], properties: { patterns: { description: "Several patterns" } } },
    ],
  });
export type SearchParams = z.infer<typeof SearchParams>;

/** The patterns of a search, whichever form it was given in. */
export function searchPatternsOf(params: Pick<SearchParams, "pattern" | "patterns">): string[] {
  return params.patterns ?? (params.pattern === undefined ? [] : [params.pattern]);
}

export const ReadyWhen = z
  .union([
    z.strictObject({
      output: z
        .string()
        .min(1)
        .max(MAX_REGEX_LENGTH)
        .describe("Regular expression matched against stdout/stderr; ready at the first match"),
    }),
    z.strictObject({ port: z.number().int().min(1).max(65_535).describe("TCP port on 127.0.0.1; ready once it accepts connections") }),
  ])
  .describe('When a background command counts as started: exactly one of {"output": regex} or {"port": number}');
export type ReadyWhen = z.infer<typeof ReadyWhen>;

/**
 * Environment variable names: a letter or "_", then letters, digits or "_";
 * never `__proto__`, which JavaScript objects cannot hold as a plain key.
 */
export const ENV_NAME_PATTERN = /^(?!__proto__$)[A-Za-z_][A-Za-z0-9_]*$/;

export const ShellParams = z.strictObject({
  command: z.string().min(1, "The command cannot be empty").describe("Shell command line, run with sh -c in cwd"),
  cwd: WorkspacePath.default(".").describe('Working directory, relative to the workspace root ("." is the root)'),
  env: z
    .record(z.string().regex(ENV_NAME_PATTERN, "Name environment variables with letters, digits and _"), z.string())
    .default({})
    .describe("Extra environment variables, name → value"),
  background: z.boolean().default(false).describe("Succeed once ready and keep running while dependents run"),
  readyWhen: ReadyWhen.optional(),
  keepRunning: z.boolean().default(false).describe("Leave a background command running after the run ends"),
});
export type ShellParams = z.infer<typeof ShellParams>;

const nodeCommon = {
  id: NodeId.describe("Unique id of the node in this plan; edges name nodes by it"),
  label: z.string().max(200).optional().describe("Short human-readable title shown in the editor"),
  position: Position.optional(),
  retries: z.number().int().min(0).max(20).optional().describe("Overrides the plan's default retries"),
  timeoutMs: Milliseconds.min(1).max(86_400_000).optional().describe("Overrides the plan's default timeout, in milliseconds"),
  checkpoint: z.boolean().default(false).describe("Never merge this node into a batch with others"),
};

function nodeOf<const T extends string, P extends z.ZodType>(type: T, params: P, what: string) {
  return z
    .strictObject({
      ...nodeCommon,
      type: z.literal(type).describe("The operation this node performs"),
      params: params.describe(`What to ${what}`),
    })
    .describe(`A ${type} node: ${what}`);
}

export const FileWriteNode = nodeOf("file.write", FileWriteParams, "write: create or replace a file with the given content");
export const FileEditNode = nodeOf("file.edit", FileEditParams, "edit: replace exact text in an existing file");
export const FileDeleteNode = nodeOf("file.delete", FileDeleteParams, "delete: remove a file");
export const FileMoveNode = nodeOf("file.move", FileMoveParams, "move: rename or move a file");
export const FileReadNode = nodeOf("file.read", FileReadParams, "read: read files into the run's results");
export const SearchNode = nodeOf("search", SearchParams, "search: find text in workspace files");
export const ShellNode = nodeOf("shell", ShellParams, "run: a shell command in the workspace");

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

export const PlanEdge = z
  .strictObject({
    id: z.string().min(1).max(140).optional().describe('Optional name of the edge; "from->to" when left out'),
    from: NodeId.describe("The node that runs first"),
    to: NodeId.describe("The node that waits: it starts only after `from` finished as `when` says"),
    when: EdgeCondition.default("success").describe(
      "success: `to` runs after `from` succeeds; failure: only if `from` failed; always: in any case (cleanup)",
    ),
  })
  .describe("A dependency: `to` waits for `from`");
export type PlanEdge = z.infer<typeof PlanEdge>;

/** Plan names: what the schema's pattern also says, so both sides agree (no trimming). */
const PLAN_NAME_PATTERN = /\S/;

/** The plan itself, as the JSON Schema describes it. */
export const PlanDocumentObject = z.strictObject({
  formatVersion: z
    .literal(PLAN_FORMAT_VERSION)
    .default(PLAN_FORMAT_VERSION)
    .describe(`Version of this format; ${PLAN_FORMAT_VERSION} is the only one`),
  name: z
    .string()
    .max(200)
    .regex(PLAN_NAME_PATTERN, "Give the plan a name (not only spaces)")
    .describe("Name of the plan (1–200 characters, not only spaces)"),
  description: z.string().max(10_000).default("").describe("What the plan is for; free text"),
  settings: PlanSettings.default(PlanSettings.parse({})),
  nodes: z
    .array(PlanNode)
    .min(1, "Add at least one node: a plan with no nodes does nothing")
    .describe("The operations; each runs once its incoming edges allow"),
  edges: z.array(PlanEdge).default([]).describe('Dependencies between nodes: {"from": "a", "to": "b"} makes b wait for a'),
});

/**
 * A top-level `$schema` (the JSON convention for pointing an editor at a
 * schema) is accepted and dropped: the published schema does not declare it,
 * since some tool APIs refuse property names with "$".
 */
function withoutSchemaKey(input: unknown): unknown {
  if (typeof input !== "object" || input === null || Array.isArray(input) || !Object.hasOwn(input, "$schema")) return input;
  const { $schema, ...rest } = input as Record<string, unknown>;
  return typeof $schema === "string" ? rest : input;
}

export const PlanDocument = z.preprocess(withoutSchemaKey, PlanDocumentObject);

/**
 * A draft's shape: a plan as drawn, which may have no nodes yet (a new plan
 * in the editor). Drafts cannot run; this lets them be hashed and compared.
 */
export const PlanDraft = z.preprocess(withoutSchemaKey, PlanDocumentObject.extend({ nodes: z.array(PlanNode) }));
export type PlanDocument = z.infer<typeof PlanDocumentObject>;
/** A plan as written by hand: defaults may be left out. */
export type PlanDocumentInput = z.input<typeof PlanDocumentObject> & { $schema?: string };

/** The id an edge is known by in reports and in the editor. */
export function edgeIdOf(edge: Pick<PlanEdge, "id" | "from" | "to">): string {
  return edge.id ?? `${edge.from}->${edge.to}`;
}
