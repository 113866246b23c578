/** Which workspace files a node changes: the one rule the optimizer's file hazards and the runner's atomic batches share. */
import type { PlanNode } from "./schema";
import { normalizeWorkspacePath } from "./workspace-path";

/**
 * The normalized paths a node writes, edits, deletes or moves (both ends of a
 * move). Reads, searches and commands change no file the plan can name; a
 * path that leaves the workspace is left out, since validation refuses it.
 *
 * @example
 * changedPaths({ id: "m", type: "file.move", params: { from: "./a.txt", to: "b/a.txt" } }); // ["a.txt", "b/a.txt"]
 */
export function changedPaths(node: PlanNode): string[] {
  const paths: string[] = [];
  switch (node.type) {
    case "file.write":
    case "file.edit":
    case "file.delete":
      addNormalized(paths, node.params.path);
      break;
    case "file.move":
      addNormalized(paths, node.params.from);
      addNormalized(paths, node.params.to);
      break;
  }
  return paths;
}

function addNormalized(paths: string[], path: string): void {
  const normalized = normalizeWorkspacePath(path);
  if (normalized !== null) paths.push(normalized);
}
