/**
 * The plan file format on disk: pretty-printed JSON with a trailing newline.
 * Export writes exactly this and import reads it, so exporting a version,
 * importing the file and exporting again gives the same bytes.
 */
export function serializePlanJson(document: unknown): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

export type PlanJsonParse = { ok: true; value: unknown } | { ok: false; message: string };

/** Parses a plan file's text, turning a syntax error into a message a person can act on. */
export function parsePlanJson(text: string): PlanJsonParse {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, message: `The file is not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** A file name for an exported version, e.g. `scaffold-models-v3.plan.json`. */
export function exportFileName(planName: string, version: number): string {
  const slug =
    planName
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "")
      .slice(0, 60) || "plan";
  return `${slug}-v${version}.plan.json`;
}
