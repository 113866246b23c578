/**
 * What a node does, in one line, per operation type: the one table behind
 * the editor's node boxes and the CLI's batch listings. Parts marked `code`
 * are values from the plan (paths, patterns, commands); the rest is prose.
 * Params may be incomplete (a node being drawn), so every field is optional.
 */
import type { OperationType } from "./schema";

export interface SummaryPart {
  text: string;
  code?: boolean;
}

type Params = Readonly<Record<string, unknown>>;

const text = (value: unknown): string => (typeof value === "string" ? value : "");
const code = (value: unknown): SummaryPart => ({ text: text(value), code: true });
const words = (value: string): SummaryPart => ({ text: value });
const firstLine = (value: unknown) => text(value).split("\n")[0] ?? "";

/** Per type, the parts of its one-line summary. */
export const OPERATION_SUMMARY: Record<OperationType, (params: Params) => SummaryPart[]> = {
  "file.write": (params) => [code(params.path)],
  "file.edit": (params) => {
    const count = Array.isArray(params.edits) ? params.edits.length : 0;
    return [code(params.path), words(` · ${count} edit${count === 1 ? "" : "s"}`)];
  },
  "file.delete": (params) => [code(params.path)],
  "file.move": (params) => [code(params.from), words(" → "), code(params.to)],
  "file.read": (params) => {
    const paths = Array.isArray(params.paths) ? params.paths.map(String) : [];
    return [code([...paths, ...(text(params.glob) ? [text(params.glob)] : [])].join(", "))];
  },
  search: (params) => {
    // Its pattern, or its patterns, as written (`/…/` for regular expressions).
    const patterns = Array.isArray(params.patterns) ? params.patterns.map(String) : [text(params.pattern)];
    return [
      code(patterns.map((pattern) => (params.regex === true ? `/${pattern}/` : pattern)).join(", ")),
      words(" in "),
      code(params.glob),
    ];
  },
  shell: (params) => [...(params.background === true ? [words("(background) ")] : []), code(firstLine(params.command))],
};

/**
 * The summary as plain text, values clipped to `max` characters each.
 *
 * @example
 * summaryText("file.move", { from: "a.txt", to: "b.txt" }); // "a.txt → b.txt"
 */
export function summaryText(type: OperationType, params: Params, max = 60): string {
  return OPERATION_SUMMARY[type](params)
    .map((part) => {
      if (!part.code) return part.text;
      const oneLine = part.text.replace(/\s+/g, " ").trim();
      return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
    })
    .join("");
}
