/**
 * Tool-call batches: the calls a coding agent would otherwise make one by
 * one (Write, Edit, MultiEdit, Read, Grep, Bash), in the shapes those tools
 * already use, sent as one list. `{name, input}` is the shape of a model's
 * `tool_use` block, so an agent can pass its calls on unchanged.
 * compile-tool-calls.ts turns the list into a plan.
 */
import * as z from "zod";

const FilePath = z.string().min(1, "file_path is empty").describe("Absolute (inside the workspace) or relative to the workspace root");

export const WriteInput = z.strictObject({ file_path: FilePath, content: z.string() });
export const EditInput = z.strictObject({
  file_path: FilePath,
  old_string: z.string().min(1, "old_string is empty: use Write to create a file"),
  new_string: z.string(),
  replace_all: z.boolean().default(false),
});
const MultiEditStep = z.strictObject({
  old_string: z.string().min(1, "old_string is empty: use Write to create a file"),
  new_string: z.string(),
  replace_all: z.boolean().default(false),
});
export const MultiEditInput = z.strictObject({ file_path: FilePath, edits: z.array(MultiEditStep).min(1, "Add at least one edit") });
export const ReadInput = z.strictObject({
  file_path: FilePath,
  offset: z.number().int().min(0).optional().describe("First line to read (1-based; 0 means the first)"),
  limit: z.number().int().min(1).optional().describe("Most lines to read"),
});
export const GrepInput = z.strictObject({
  pattern: z.string().min(1, "pattern is empty").describe("Regular expression"),
  path: z.string().optional().describe("File or directory to search (the workspace root when left out)"),
  glob: z.string().optional().describe('Files to search, e.g. "*.ts" or "src/**/*.{ts,tsx}"'),
  "-i": z.boolean().default(false).describe("Case-insensitive"),
  output_mode: z
    .enum(["content", "files_with_matches", "count"])
    .default("files_with_matches")
    .describe(
      '"content": the matching lines; "files_with_matches": the files that match; "count": each such file with its count of matching lines',
    ),
});
export const BashInput = z.strictObject({
  command: z.string().min(1, "command is empty"),
  run_in_background: z.boolean().default(false).describe("Start it and go on at once; it is stopped when the run ends"),
  timeout: z.number().int().min(1).max(86_400_000).optional().describe("Milliseconds"),
  description: z.string().optional(),
});

/** One call, as a model's tool_use block: `{name, input}` (an `id` may come along). */
export const ToolCall = z.discriminatedUnion("name", [
  z.strictObject({ id: z.string().optional(), name: z.literal("Write"), input: WriteInput }),
  z.strictObject({ id: z.string().optional(), name: z.literal("Edit"), input: EditInput }),
  z.strictObject({ id: z.string().optional(), name: z.literal("MultiEdit"), input: MultiEditInput }),
  z.strictObject({ id: z.string().optional(), name: z.literal("Read"), input: ReadInput }),
  z.strictObject({ id: z.string().optional(), name: z.literal("Grep"), input: GrepInput }),
  z.strictObject({ id: z.string().optional(), name: z.literal("Bash"), input: BashInput }),
]);
export type ToolCall = z.infer<typeof ToolCall>;

export const ToolCallList = z.array(ToolCall).min(1, "Send at least one call").max(2_000);
export type ToolCallList = z.infer<typeof ToolCallList>;

/** A call the compiler could not map, by its index in the list. */
export const ToolCallProblem = z.object({
  callIndex: z.number().int().nonnegative().optional().describe("Left out when the problem is the list itself (e.g. empty)"),
  field: z.string().optional(),
  message: z.string(),
});
export type ToolCallProblem = z.infer<typeof ToolCallProblem>;

/** Where each call went: its node. */
export const CompiledCall = z.object({
  callIndex: z.number().int().nonnegative(),
  name: z.string(),
  id: z.string().optional().describe("The call's own id, when it had one"),
  nodeId: z.string(),
});
export type CompiledCall = z.infer<typeof CompiledCall>;
