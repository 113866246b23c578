/**
 * Unknown keys in a plan are errors, because dropping them silently changes
 * what runs (`"dependsOn"` ignored makes two nodes run in parallel;
 * `"condition": "failure"` ignored makes an edge run on success). This turns
 * zod's `unrecognized_keys` issue into a problem that names the node, the key
 * and the key that was probably meant.
 */
import * as z from "./mini-zod";
// Named imports, not `z.core.…`: using the namespace would bundle all of zod's core into every CLI command.
import { $ZodArray, $ZodDefault, $ZodDiscriminatedUnion, $ZodObject, $ZodOptional, $ZodUnion, type $ZodType } from "zod/v4/core";
import { PlanDocumentObject } from "./schema";
import { isRecord, valueAt } from "./plan-view";

type ProblemPath = (string | number)[];

/**
 * Keys other tools' plans use for ours, e.g. an agent's editing tool: a direct
 * hint beats an edit-distance guess. Only offered where the target key is allowed.
 */
const ALIASES: Readonly<Record<string, string>> = {
  old_string: "find",
  oldString: "find",
  new_string: "replace",
  newString: "replace",
  replace_all: "all",
  replaceAll: "all",
  cmd: "command",
  file_path: "path",
  filePath: "path",
  condition: "when",
};

/** Keys that mean "this node depends on…", which a plan says with edges. */
const DEPENDENCY_KEYS = new Set(["dependsOn", "depends_on", "needs", "after", "requires"]);

/**
 * The sentence for one unknown `key` in the object at `objectPath` of `input`.
 *
 * @example
 * unknownFieldMessage(["nodes", 0, "params"], "cmd", plan);
 * // 'Node "build" has an unknown field "cmd" in its params: use "command"'
 */
export function unknownFieldMessage(objectPath: ProblemPath, key: string, input: unknown): string {
  const where = describePlace(objectPath, input);
  const allowed = allowedKeysAt(objectPath, input);
  const lead = `${where.subject} has an unknown field ${JSON.stringify(key)}${where.inside}`;
  if (DEPENDENCY_KEYS.has(key) && objectPath.length === 2 && objectPath[0] === "nodes") {
    return `${lead}: a plan states dependencies as edges, not on the node. ${dependencyHint(valueAt(input, [...objectPath, key]), valueAt(input, [...objectPath, "id"]))}`;
  }
  const alias = ALIASES[key];
  if (alias !== undefined && allowed.includes(alias)) return `${lead}: use ${JSON.stringify(alias)}`;
  const guess = closestKey(key, allowed);
  if (guess !== undefined) return `${lead}: did you mean ${JSON.stringify(guess)}?`;
  return allowed.length > 0 ? `${lead}; allowed here: ${allowed.map((name) => JSON.stringify(name)).join(", ")}` : lead;
}

function dependencyHint(value: unknown, id: unknown): string {
  const to = typeof id === "string" && id !== "" ? id : "<this node>";
  const from = Array.isArray(value)
    ? value.filter((item): item is string => typeof item === "string")
    : typeof value === "string"
      ? [value]
      : [];
  const examples = (from.length > 0 ? from.slice(0, 3) : ["<other node>"]).map((name) => JSON.stringify({ from: name, to }));
  return `Remove it and add ${examples.join(", ")} to the plan's "edges": the "to" node waits for the "from" node`;
}

/** "Node "x"" plus where inside it, in words a plan author uses. */
function describePlace(path: ProblemPath, input: unknown): { subject: string; inside: string } {
  const [collection, index, ...rest] = path;
  if (collection === "settings") return { subject: `The plan's "settings"`, inside: "" };
  if (collection === "nodes" && typeof index === "number") {
    const id = valueAt(input, ["nodes", index, "id"]);
    const subject = typeof id === "string" && id !== "" ? `Node ${JSON.stringify(id)}` : `Node number ${index + 1} (it has no id)`;
    return { subject, inside: insideNode(rest) };
  }
  if (collection === "edges" && typeof index === "number") {
    const edge = valueAt(input, ["edges", index]);
    const from = isRecord(edge) ? edge["from"] : undefined;
    const to = isRecord(edge) ? edge["to"] : undefined;
    const name = typeof from === "string" && typeof to === "string" ? JSON.stringify(`${from}->${to}`) : `number ${index + 1}`;
    return { subject: `Edge ${name}`, inside: "" };
  }
  return { subject: "The plan", inside: "" };
}

function insideNode(rest: ProblemPath): string {
  if (rest.length === 0) return "";
  if (rest[0] === "params" && rest[1] === "edits" && typeof rest[2] === "number") return ` in its edit number ${rest[2] + 1}`;
  if (rest[0] === "params" && rest.length > 1) return ` in its params.${rest.slice(1).join(".")}`;
  return ` in its ${rest.join(".")}`;
}

/** The keys the schema allows in the object at `path` (for nodes, those of its `type`). */
export function allowedKeysAt(path: ProblemPath, input: unknown): string[] {
  let schema: $ZodType | undefined = PlanDocumentObject;
  for (let depth = 0; depth <= path.length; depth++) {
    schema = unwrap(schema);
    if (schema instanceof $ZodDiscriminatedUnion) {
      const type = valueAt(input, [...path.slice(0, depth), "type"]);
      const option = schema._zod.def.options.find((candidate) => {
        const shape = unwrap(candidate);
        return (
          shape instanceof $ZodObject &&
          shape._zod.def.shape["type"] !== undefined &&
          z.safeParse(shape._zod.def.shape["type"], type).success
        );
      });
      if (option === undefined) return [];
      schema = unwrap(option);
    }
    if (depth === path.length) break;
    const key = path[depth];
    if (schema instanceof $ZodObject && typeof key === "string") schema = schema._zod.def.shape[key];
    else if (schema instanceof $ZodArray && typeof key === "number") schema = schema._zod.def.element;
    else return [];
    if (schema === undefined) return [];
  }
  if (schema instanceof $ZodUnion) {
    // readyWhen: the union of closed objects allows the keys of all its branches.
    return schema._zod.def.options.flatMap((option) => {
      const shape = unwrap(option);
      return shape instanceof $ZodObject ? Object.keys(shape._zod.def.shape) : [];
    });
  }
  return schema instanceof $ZodObject ? Object.keys(schema._zod.def.shape) : [];
}

function unwrap(schema: $ZodType): $ZodType {
  let current = schema;
  while (current instanceof $ZodDefault || current instanceof $ZodOptional) current = current._zod.def.innerType;
  return current;
}

/** The allowed key nearest to `key` by edit distance (ignoring case), when near enough to be a typo. */
export function closestKey(key: string, allowed: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of allowed) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const tolerance = Math.max(2, Math.floor(Math.max(key.length, best?.length ?? 0) / 3));
  return bestDistance <= tolerance ? best : undefined;
}

/** Levenshtein distance, two rows. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + cost);
    }
    previous = current;
  }
  return previous[b.length] as number;
}
