import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

/** ARCHITECTURE.md's layer table and the lint zones that enforce it, compared row for row. */
interface Zone {
  target: string | string[];
  from: string | string[];
  except?: string[];
}
interface Row {
  layers: string[];
  mayImport: string;
  mayNotImport: string;
}

const asList = (value: string | string[]) => (Array.isArray(value) ? value : [value]).map((path) => path.replace(/^\.\//, ""));
const named = (cell: string, path: string) => cell.includes(`\`${path}\``);

async function lintZones(): Promise<Zone[]> {
  const config = (await import(new URL("../eslint.config.mjs", import.meta.url).href)) as {
    default: { rules?: Record<string, unknown> }[];
  };
  for (const block of config.default) {
    const rule = block.rules?.["import-x/no-restricted-paths"];
    if (Array.isArray(rule)) return (rule[1] as { zones: Zone[] }).zones;
  }
  throw new Error("eslint.config.mjs has no import-x/no-restricted-paths zones");
}

function layerTable(): Row[] {
  const text = readFileSync(new URL("../ARCHITECTURE.md", import.meta.url), "utf8");
  const start = text.indexOf("| layer | may import | may not import |");
  const lines = text.slice(start).split("\n");
  const rows: Row[] = [];
  for (const line of lines.slice(2)) {
    if (!line.startsWith("|")) break;
    const [layer = "", mayImport = "", mayNotImport = ""] = line.split("|").slice(1, -1);
    rows.push({ layers: [...layer.matchAll(/`([^`]+)`/g)].map((match) => match[1] as string), mayImport, mayNotImport });
  }
  return rows;
}

describe("ARCHITECTURE.md and the lint zones", async () => {
  const zones = await lintZones();
  const rows = layerTable();
  const rowOf = (layer: string) => rows.find((row) => row.layers.includes(layer));

  it("has a table row for every layer a zone restricts", () => {
    const targets = zones.flatMap((zone) => asList(zone.target)).filter((target) => target !== "lib");
    expect(targets.filter((target) => !rowOf(target))).toEqual([]);
  });

  it("names in each row what its zones forbid and allow", () => {
    const mismatches: string[] = [];
    for (const zone of zones) {
      for (const target of asList(zone.target)) {
        // "lib never imports app": every lib row says so.
        const targetRows = target === "lib" ? rows.filter((row) => row.layers.some((layer) => layer.startsWith("lib/"))) : [rowOf(target)];
        for (const row of targetRows) {
          if (!row) continue;
          if (zone.except) {
            // "Anything of the project but these": the row says which, and that the rest is forbidden.
            for (const allowed of zone.except.map((path) => `lib/${path.replace(/^\.\//, "")}`)) {
              if (!row.layers.includes(allowed) && !named(row.mayImport, allowed))
                mismatches.push(`${row.layers.join(", ")} may import ${allowed}`);
            }
            if (!/any other project code/.test(row.mayNotImport))
              mismatches.push(`${row.layers.join(", ")} may not import any other project code`);
          } else {
            for (const forbidden of asList(zone.from)) {
              const said = named(row.mayNotImport, forbidden) || /any other project code/.test(row.mayNotImport);
              if (!said) mismatches.push(`${row.layers.join(", ")} may not import ${forbidden}`);
            }
          }
        }
      }
    }
    expect(mismatches).toEqual([]);
  });

  it("has a zone for every row's layer", () => {
    const targets = new Set(zones.flatMap((zone) => asList(zone.target)));
    const unzoned = rows
      .flatMap((row) => row.layers)
      .filter((layer) => !targets.has(layer) && !(layer.startsWith("lib/") && targets.has("lib")));
    expect(unzoned).toEqual([]);
  });
});
