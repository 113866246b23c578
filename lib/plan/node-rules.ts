/**
 * Per-node rules beyond shape: workspace paths and globs, regular
 * expressions, content size, and settings that would be silently ignored.
 * Reads raw params defensively so it also runs on nodes that failed the
 * shape check.
 */
import type { PlanLimits } from "./plan-limits";
import { utf8ByteLength } from "./plan-limits";
import type { PlanProblem } from "./plan-problem";
import type { NodeView } from "./plan-view";
import { isRecord } from "./plan-view";
import { checkRegex } from "./regex-safety";
import { checkWorkspacePath } from "./workspace-path";
import { cachedGlobToRegExp } from "./glob";

/** Which params of each operation type are workspace paths. A map: a node's type may be any text, "__proto__" too. */
const PATH_PARAMS: ReadonlyMap<string, readonly string[]> = new Map([
  ["file.write", ["path"]],
  ["file.edit", ["path"]],
  ["file.delete", ["path"]],
  ["file.move", ["from", "to"]],
  ["shell", ["cwd"]],
]);

/** Appends the problems (errors and warnings) of one node to `out`. */
export function checkNode(node: NodeView, limits: PlanLimits, out: PlanProblem[]): void {
  const { params, type } = node;

  for (const key of PATH_PARAMS.get(type ?? "") ?? []) {
    const value = params[key];
    if (typeof value !== "string") continue;
    const problem = checkWorkspacePath(value, key === "cwd" ? "Working directory" : key === "path" ? "Path" : `"${key}" path`);
    if (problem) report(out, node, ["nodes", node.index, "params", key], problem.code, problem.message);
  }

  if (type === "file.write" && typeof params["content"] === "string")
    checkContent(params["content"], params["encoding"], node, limits, out);

  if (type === "file.edit" && Array.isArray(params["edits"])) {
    params["edits"].forEach((edit: unknown, index: number) => {
      if (isRecord(edit) && typeof edit["find"] === "string" && edit["find"] !== "" && edit["find"] === edit["replace"]) {
        report(
          out,
          node,
          ["nodes", node.index, "params", "edits", index, "replace"],
          "edit-changes-nothing",
          `Edit number ${index + 1} replaces its text with the same text, which changes nothing; change "replace" or remove the edit`,
        );
      }
    });
  }

  if (type === "file.read") {
    const paths = params["paths"];
    if (Array.isArray(paths)) {
      for (let index = 0; index < paths.length; index++) {
        const path: unknown = paths[index];
        if (typeof path !== "string") continue;
        const problem = checkWorkspacePath(path);
        if (problem) report(out, node, ["nodes", node.index, "params", "paths", index], problem.code, problem.message);
      }
    }
    checkGlob(params["glob"], node, out);
    const hasPaths = Array.isArray(paths) && paths.length > 0;
    if (!hasPaths && params["glob"] === undefined) {
      report(
        out,
        node,
        ["nodes", node.index, "params"],
        "reads-nothing",
        `This read has neither "paths" nor "glob", so it reads nothing; add one`,
        "warning",
      );
    }
  }

  if (type === "search") {
    checkGlob(params["glob"], node, out);
    if (params["regex"] === true) {
      const flags = params["caseSensitive"] === false ? "i" : "";
      const check = (pattern: unknown, path: PlanProblem["path"]) => {
        if (typeof pattern !== "string") return;
        const verdict = checkRegex(pattern, { flags, maxLength: limits.maxRegexLength });
        if (!verdict.ok) report(out, node, path, verdict.code, verdict.message);
      };
      check(params["pattern"], ["nodes", node.index, "params", "pattern"]);
      const patterns = params["patterns"];
      if (Array.isArray(patterns))
        patterns.forEach((pattern: unknown, index) => check(pattern, ["nodes", node.index, "params", "patterns", index]));
    }
  }

  if (type === "shell") {
    const env = params["env"];
    // zod drops a "__proto__" key from a record without a word; an env variable vanishing is not acceptable.
    if (isRecord(env) && Object.hasOwn(env, "__proto__")) {
      report(
        out,
        node,
        ["nodes", node.index, "params", "env", "__proto__"],
        "invalid-shape",
        `"__proto__" cannot be an environment variable name; rename it`,
      );
    }
    const readyWhen = params["readyWhen"];
    const background = params["background"] === true;
    if (isRecord(readyWhen) && typeof readyWhen["output"] === "string") {
      const verdict = checkRegex(readyWhen["output"], { maxLength: limits.maxRegexLength });
      if (!verdict.ok)
        report(out, node, ["nodes", node.index, "params", "readyWhen", "output"], verdict.code, `readyWhen.output: ${verdict.message}`);
    }
    if (readyWhen !== undefined && !background) {
      report(
        out,
        node,
        ["nodes", node.index, "params", "readyWhen"],
        "ignored-setting",
        `readyWhen only applies to background commands; set "background": true or remove it`,
        "warning",
      );
    }
    if (params["keepRunning"] === true && !background) {
      report(
        out,
        node,
        ["nodes", node.index, "params", "keepRunning"],
        "ignored-setting",
        `keepRunning only applies to background commands; set "background": true or remove it`,
        "warning",
      );
    }
  }
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function checkContent(content: string, encoding: unknown, node: NodeView, limits: PlanLimits, out: PlanProblem[]): void {
  const path = ["nodes", node.index, "params", "content"];
  let bytes: number;
  if (encoding === "base64") {
    if (!BASE64.test(content)) {
      report(
        out,
        node,
        path,
        "invalid-content",
        `The content is not valid base64 (standard alphabet, padded with "=", no line breaks); encode the file's bytes, or drop "encoding" to write text`,
      );
      return;
    }
    bytes = (content.length / 4) * 3 - (content.endsWith("==") ? 2 : content.endsWith("=") ? 1 : 0);
  } else {
    // Each UTF-16 unit is at most 3 UTF-8 bytes, so short content needs no exact count.
    if (content.length * 3 <= limits.maxContentBytes) return;
    bytes = utf8ByteLength(content);
  }
  if (bytes > limits.maxContentBytes) {
    report(
      out,
      node,
      path,
      "content-too-large",
      `The content is ${formatBytes(bytes)}; the limit is ${formatBytes(limits.maxContentBytes)}. Write large files with a shell command instead`,
    );
  }
}

function checkGlob(glob: unknown, node: NodeView, out: PlanProblem[]): void {
  if (typeof glob !== "string") return;
  const path = ["nodes", node.index, "params", "glob"];
  const problem = checkWorkspacePath(glob, "Glob");
  if (problem) {
    report(out, node, path, problem.code, problem.message);
    return;
  }
  if (cachedGlobToRegExp(glob) === null) {
    report(out, node, path, "invalid-glob", `Glob "${glob}" is malformed: close every "[" with "]" and every "{" with "}"`);
  }
}

// Module level rather than a closure per node: closures in a 100k-node loop cost real time.
function report(
  out: PlanProblem[],
  node: NodeView,
  path: PlanProblem["path"],
  code: PlanProblem["code"],
  message: string,
  severity: PlanProblem["severity"] = "error",
): void {
  out.push(node.id === undefined ? { path, code, message, severity } : { nodeId: node.id, path, code, message, severity });
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} bytes`;
}
