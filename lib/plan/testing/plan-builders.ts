/**
 * Terse builders for plans in tests: `buildPlan([write("a", "x.ts"), shell("b")], ["a->b"])`.
 */
import { PlanDocument, type PlanDocumentInput, type PlanSettings } from "../schema";

/** A node as written in a plan (defaults optional). */
export type NodeInput = PlanDocumentInput["nodes"][number];
type EdgeInput = NonNullable<PlanDocumentInput["edges"]>[number];

export const write = (id: string, path: string, extra: Partial<NodeInput> = {}): NodeInput =>
  ({ id, type: "file.write", params: { path, content: `content of ${id}` }, ...extra }) as NodeInput;
export const edit = (id: string, path: string, extra: Partial<NodeInput> = {}): NodeInput =>
  ({ id, type: "file.edit", params: { path, edits: [{ find: "a", replace: `by ${id}` }] }, ...extra }) as NodeInput;
export const remove = (id: string, path: string): NodeInput => ({ id, type: "file.delete", params: { path } });
export const move = (id: string, from: string, to: string): NodeInput => ({ id, type: "file.move", params: { from, to } });
export const read = (id: string, paths: string[], glob?: string): NodeInput => ({
  id,
  type: "file.read",
  params: glob === undefined ? { paths } : { paths, glob },
});
export const search = (id: string, glob: string, pattern = "needle", extra: Partial<NodeInput> = {}): NodeInput =>
  ({ id, type: "search", params: { pattern, glob }, ...extra }) as NodeInput;
export const shell = (id: string, command = `echo ${id}`, extra: Partial<NodeInput> = {}): NodeInput =>
  ({ id, type: "shell", params: { command }, ...extra }) as NodeInput;

/** `"a->b"`, `"a-failure->b"`, `"a-always->b"`, or a full edge object. */
export function edge(spec: string | EdgeInput): EdgeInput {
  if (typeof spec !== "string") return spec;
  const match = /^(.+?)-(?:(success|failure|always)-)?>(.+)$/.exec(spec);
  if (!match) throw new Error(`Bad edge spec ${spec}`);
  const [, from, when, to] = match as unknown as [string, string, EdgeInput["when"] | undefined, string];
  return when === undefined ? { from, to } : { from, to, when };
}

/** A parsed plan (defaults filled in), ready for the optimizer. */
export function buildPlan(nodes: NodeInput[], edges: (string | EdgeInput)[] = [], settings: Partial<PlanSettings> = {}): PlanDocument {
  return PlanDocument.parse({ name: "Test plan", nodes, edges: edges.map(edge), settings });
}

/** The same, unparsed, for the validator. */
export function planInput(nodes: NodeInput[], edges: (string | EdgeInput)[] = [], settings: Partial<PlanSettings> = {}): PlanDocumentInput {
  return { name: "Test plan", nodes, edges: edges.map(edge), settings };
}
