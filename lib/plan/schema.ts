/**
 * The plan document: the one contract shared by the editor, the server, the
 * CLI, the HTTP API and the runner. Each zod schema and its inferred type
 * share a name. Graph rules (cycles, dangling edges, workspace paths…) live in
 * the validator, not here: these schemas check shape only.
 */
import { MAX_RUN_CONCURRENCY, MIN_RUN_CONCURRENCY } from "./run-concurrency";
import * as z from "./mini-zod";
import { annotated, described, integer } from "./mini-zod";

export const PLAN_FORMAT_VERSION = 1;

/** Node ids appear in URLs, logs and CLI output, so keep them plain. */
export const NodeId = z
  .string()
  .check(z.regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, "Use 1–64 letters, digits, '.', '_' or '-', starting with a letter or digit"));
export type NodeId = z.infer<typeof NodeId>;

/**
 * What the JSON Schema can say about a workspace path: not absolute, no drive
 * letter, no leading "..", no NUL, not blank. The validator's path rule
 * (workspace-path.ts) checks the rest (a ".." further in that leaves the root).
 */
const WORKSPACE_PATH_PATTERN = String.raw`^(?![/\\]|[A-Za-z]:|\.\.(?:[/\\]|$))(?=[\s\S]*\S)[^\u0000]*$`;

/** A workspace-relative path; the validator rejects escapes and absolute forms. */
export const WorkspacePath = annotated(z.string(), {
  pattern: WORKSPACE_PATH_PATTERN,
  description:
    'Path relative to the workspace root, with "/" between folders, e.g. "src/index.ts"; never absolute, never leaving the root with ".."',
});
export type WorkspacePath = z.infer<typeof WorkspacePath>;

const MAX_TIMEOUT_MS = 86_400_000;

export const FailurePolicy = z.enum(["continue", "stop"]);
export type FailurePolicy = z.infer<typeof FailurePolicy>;

export const FileBatchMode = z.enum(["atomic", "independent"]);
export type FileBatchMode = z.infer<typeof FileBatchMode>;

/** A run's concurrency limit (see run-concurrency.ts). */
export const RunConcurrency = integer(MIN_RUN_CONCURRENCY, MAX_RUN_CONCURRENCY);

export const PlanSettings = described(
  z.strictObject({
    concurrency: described(
      z._default(RunConcurrency, 8),
      `Most operations running at once in one run (${MIN_RUN_CONCURRENCY}–${MAX_RUN_CONCURRENCY})`,
    ),
    failurePolicy: described(
      z._default(FailurePolicy, "continue"),
      "continue: skip dependents of a failed node, keep independent branches; stop: cancel the rest",
    ),
    retries: described(z._default(integer(0, 20), 0), "Default retries per node (0–20)"),
    retryBackoffMs: described(z._default(integer(0, 3_600_000), 1_000), "First retry delay in milliseconds; doubles each attempt"),
    timeoutMs: described(z._default(integer(1, MAX_TIMEOUT_MS), 600_000), "Default per-node timeout in milliseconds"),
    batching: described(z._default(z.boolean(), true), "Group independent same-kind operations into batches"),
    fileBatchMode: described(
      z._default(FileBatchMode, "atomic"),
      "atomic: all writes of a file batch apply or none; independent: each write applies on its own",
    ),
  }),
  "Run-wide defaults; every field may be left out",
);
export type PlanSettings = z.infer<typeof PlanSettings>;

export const Position = described(
  z.strictObject({
    x: described(z.number(), "Horizontal position on the canvas, in pixels"),
    y: described(z.number(), "Vertical position on the canvas, in pixels"),
  }),
  "Where the editor draws the node; has no effect on running",
);
export type Position = z.infer<typeof Position>;

export const FileContentEncoding = z.enum(["utf8", "base64"]);
export type FileContentEncoding = z.infer<typeof FileContentEncoding>;

/** What a file write does when its file already exists. */
export const IfExists = z.enum(["overwrite", "fail", "skip"]);

export const FileWriteParams = z.strictObject({
  path: WorkspacePath,
  content: described(z.string(), 'The whole new content of the file: text, or base64 when "encoding" is "base64"'),
  encoding: described(
    z.optional(FileContentEncoding),
    "utf8 (the default): content is the text itself; base64: content is base64 of the exact bytes (binary files)",
  ),
  ifExists: described(
    z._default(IfExists, "overwrite"),
    "When the file already exists: overwrite it, fail the node, or skip (leave it as it is)",
  ),
});
export type FileWriteParams = z.infer<typeof FileWriteParams>;

export const FileEdit = z.strictObject({
  find: described(
    z.string().check(z.minLength(1, "The text to find cannot be empty")),
    "Exact text to find (not a regular expression); must differ from replace",
  ),
  replace: described(z.string(), "Text that takes its place"),
  all: described(z.optional(z.boolean()), "true: replace every occurrence; otherwise the text must occur exactly once"),
});
export type FileEdit = z.infer<typeof FileEdit>;

export const FileEditParams = z.strictObject({
  path: WorkspacePath,
  edits: described(
    z.array(FileEdit).check(z.minLength(1, "Add at least one edit")),
    "Replacements applied in order; the node fails, changing nothing, if one does not match",
  ),
});
export type FileEditParams = z.infer<typeof FileEditParams>;

export const FileDeleteParams = z.strictObject({
  path: WorkspacePath,
  missingOk: described(z._default(z.boolean(), false), "Succeed when the file does not exist"),
});
export type FileDeleteParams = z.infer<typeof FileDeleteParams>;

export const FileMoveParams = z.strictObject({
  from: described(WorkspacePath, "The file to move, relative to the workspace root"),
  to: described(WorkspacePath, "Its new path, relative to the workspace root"),
  overwrite: described(z._default(z.boolean(), false), "Replace an existing file at `to`; otherwise the node fails"),
});
export type FileMoveParams = z.infer<typeof FileMoveParams>;

export const FileReadParams = z.strictObject({
  paths: described(z._default(z.array(WorkspacePath), []), "Files to read, relative to the workspace root"),
  glob: described(z.optional(z.string()), 'Glob of files to read, relative to the workspace root, e.g. "src/**/*.ts"'),
  maxBytes: described(z._default(integer(1, 64 * 1024 * 1024), 1024 * 1024), "Cap per file in bytes; longer files are cut"),
  offset: described(z.optional(integer(1)), "First line to return (1-based); lines before it are left out"),
  limit: described(z.optional(integer(1)), "Most lines to return, from `offset` (or the first line)"),
});
export type FileReadParams = z.infer<typeof FileReadParams>;

/** Longest regular expression a plan may hold; the validator's default limit says the same. */
export const MAX_REGEX_LENGTH = 2_000;

const SearchPattern = z.string().check(z.minLength(1, "The pattern cannot be empty"), z.maxLength(MAX_REGEX_LENGTH));

/** What a search's result lists. */
export const SearchOutput = z.enum(["lines", "files", "count"]);

/** A search that is a check: how many matching lines each pattern must have. */
export const SearchExpectation = z.union([
  described(z.enum(["none", "any"]), '"none": no pattern may match; "any": every pattern must match'),
  annotated(
    z
      .strictObject({
        min: described(z.optional(integer(0)), "Fewest matching lines each pattern must have"),
        max: described(z.optional(integer(0)), "Most matching lines each pattern may have"),
      })
      .check(
        z.refine((range) => range.min !== undefined || range.max !== undefined, "Give min, max or both"),
        z.refine((range) => range.min === undefined || range.max === undefined || range.min <= range.max, "min cannot exceed max"),
      ),
    { minProperties: 1 },
  ),
]);
export type SearchExpectation = z.infer<typeof SearchExpectation>;

export const SearchParams = annotated(
  z
    .strictObject({
      pattern: described(z.optional(SearchPattern), "The text (or regular expression) to find; use `patterns` for several"),
      patterns: described(
        z.optional(z.array(SearchPattern).check(z.minLength(1, "Give at least one pattern"), z.maxLength(100))),
        "Several patterns searched in one pass; each is counted and checked on its own, and each match names its pattern",
      ),
      regex: described(
        z._default(z.boolean(), false),
        "Treat the pattern(s) as regular expressions (JavaScript syntax), matched within one line",
      ),
      glob: described(z._default(z.string(), "**/*"), "Files to search, relative to the workspace"),
      caseSensitive: described(z._default(z.boolean(), true), "false: match regardless of case"),
      maxMatches: described(
        z._default(integer(1, 100_000), 1_000),
        'Most matching lines kept (all patterns together); with `output` "files" or "count", most files listed',
      ),
      expect: described(
        z.optional(SearchExpectation),
        'Makes the search a check that fails the node: "none": no pattern may match; "any": every pattern must match; {min, max}: each pattern\'s count of matching lines must be in range',
      ),
      output: described(
        z._default(SearchOutput, "lines"),
        'What the result lists: "lines": each matching line; "files": the files with a match; "count": each such file with its count of matching lines',
      ),
      hidden: described(
        z._default(z.boolean(), false),
        "Also search hidden files and directories (names starting with '.'); .git is never searched",
      ),
      noIgnore: described(z._default(z.boolean(), false), "Also search what .gitignore files exclude, and node_modules"),
    })
    .check(
      z.refine((params) => (params.pattern === undefined) !== (params.patterns === undefined), {
        message: "Give either `pattern` or `patterns`, not both and not neither",
        path: ["pattern"],
      }),
    ),
  // The same rule for the JSON Schema, which cannot see the refinement.
  {
    oneOf: [
      { required: ["pattern"], properties: { pattern: { description: "One pattern" } } },
      { required: ["patterns"], properties: { patterns: { description: "Several patterns" } } },
    ],
  },
);
export type SearchParams = z.infer<typeof SearchParams>;

/** The patterns of a search, whichever form it was given in. */
export function searchPatternsOf(params: Pick<SearchParams, "pattern" | "patterns">): string[] {
  return params.patterns ?? (params.pattern === undefined ? [] : [params.pattern]);
}

export const ReadyWhen = described(
  z.union([
    z.strictObject({
      output: described(
        z.string().check(z.minLength(1), z.maxLength(MAX_REGEX_LENGTH)),
        "Regular expression matched against stdout/stderr; ready at the first match",
      ),
    }),
    z.strictObject({ port: described(integer(1, 65_535), "TCP port on 127.0.0.1; ready once it accepts connections") }),
  ]),
  'When a background command counts as started: exactly one of {"output": regex} or {"port": number}',
);
export type ReadyWhen = z.infer<typeof ReadyWhen>;

/**
 * Environment variable names: a letter or "_", then letters, digits or "_";
 * never `__proto__`, which JavaScript objects cannot hold as a plain key.
 */
export const ENV_NAME_PATTERN = /^(?!__proto__$)[A-Za-z_][A-Za-z0-9_]*$/;

export const ShellParams = z.strictObject({
  command: described(z.string().check(z.minLength(1, "The command cannot be empty")), "Shell command line, run with sh -c in cwd"),
  cwd: described(z._default(WorkspacePath, "."), 'Working directory, relative to the workspace root ("." is the root)'),
  env: described(
    z._default(
      z.record(z.string().check(z.regex(ENV_NAME_PATTERN, "Name environment variables with letters, digits and _")), z.string()),
      {},
    ),
    "Extra environment variables, name → value",
  ),
  background: described(z._default(z.boolean(), false), "Succeed once ready and keep running while dependents run"),
  readyWhen: z.optional(ReadyWhen),
  keepRunning: described(z._default(z.boolean(), false), "Leave a background command running after the run ends"),
});
export type ShellParams = z.infer<typeof ShellParams>;

const nodeCommon = {
  id: described(NodeId, "Unique id of the node in this plan; edges name nodes by it"),
  label: described(z.optional(z.string().check(z.maxLength(200))), "Short human-readable title shown in the editor"),
  position: z.optional(Position),
  retries: described(z.optional(integer(0, 20)), "Overrides the plan's default retries"),
  timeoutMs: described(z.optional(integer(1, MAX_TIMEOUT_MS)), "Overrides the plan's default timeout, in milliseconds"),
  checkpoint: described(z._default(z.boolean(), false), "Never merge this node into a batch with others"),
};

function nodeOf<const T extends string, P extends z.ZodMiniType>(type: T, params: P, what: string) {
  return described(
    z.strictObject({
      ...nodeCommon,
      type: described(z.literal(type), "The operation this node performs"),
      params: described(params, `What to ${what}`),
    }),
    `A ${type} node: ${what}`,
  );
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

export const PlanEdge = described(
  z.strictObject({
    id: described(z.optional(z.string().check(z.minLength(1), z.maxLength(140))), 'Optional name of the edge; "from->to" when left out'),
    from: described(NodeId, "The node that runs first"),
    to: described(NodeId, "The node that waits: it starts only after `from` finished as `when` says"),
    when: described(
      z._default(EdgeCondition, "success"),
      "success: `to` runs after `from` succeeds; failure: only if `from` failed; always: in any case (cleanup)",
    ),
  }),
  "A dependency: `to` waits for `from`",
);
export type PlanEdge = z.infer<typeof PlanEdge>;

/** Plan names: what the schema's pattern also says, so both sides agree (no trimming). */
const PLAN_NAME_PATTERN = /\S/;

const planObjectShape = {
  formatVersion: described(
    z._default(z.literal(PLAN_FORMAT_VERSION), PLAN_FORMAT_VERSION),
    `Version of this format; ${PLAN_FORMAT_VERSION} is the only one`,
  ),
  name: described(
    z.string().check(z.maxLength(200), z.regex(PLAN_NAME_PATTERN, "Give the plan a name (not only spaces)")),
    "Name of the plan (1–200 characters, not only spaces)",
  ),
  description: described(z._default(z.string().check(z.maxLength(10_000)), ""), "What the plan is for; free text"),
  settings: z._default(PlanSettings, PlanSettings.parse({})),
  nodes: described(
    z.array(PlanNode).check(z.minLength(1, "Add at least one node: a plan with no nodes does nothing")),
    "The operations; each runs once its incoming edges allow",
  ),
  edges: described(z._default(z.array(PlanEdge), []), 'Dependencies between nodes: {"from": "a", "to": "b"} makes b wait for a'),
};

/** The plan itself, as the JSON Schema describes it. */
export const PlanDocumentObject = z.strictObject(planObjectShape);

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

/** `schema` after dropping a top-level `$schema` (zod's classic `preprocess`, which its mini build lacks). */
function withoutSchemaKeyThen<T extends z.core.$ZodType>(schema: T) {
  return z.pipe(z.transform(withoutSchemaKey), schema);
}

export const PlanDocument = withoutSchemaKeyThen(PlanDocumentObject);

/**
 * A draft's shape: a plan as drawn, which may have no nodes yet (a new plan
 * in the editor). Drafts cannot run; this lets them be hashed and compared.
 */
export const PlanDraft = withoutSchemaKeyThen(z.strictObject({ ...planObjectShape, nodes: z.array(PlanNode) }));
export type PlanDocument = z.infer<typeof PlanDocumentObject>;
/** A plan as written by hand: defaults may be left out. */
export type PlanDocumentInput = z.input<typeof PlanDocumentObject> & { $schema?: string };

/** The id an edge is known by in reports and in the editor. */
export function edgeIdOf(edge: Pick<PlanEdge, "id" | "from" | "to">): string {
  return edge.id ?? `${edge.from}->${edge.to}`;
}
