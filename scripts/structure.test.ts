import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * The shape rules of the house style that lint does not check: small files
 * with one job, app functions short enough to read, and no import cycles.
 */
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const MAX_FILE_LINES = 400;
const MAX_APP_FUNCTION_LINES = 120;
const SOURCE_EXTENSIONS = new Set([".ts", ".tsx", ".mts", ".mjs", ".js"]);
/** Generated, installed or built: not written by hand. */
const SKIPPED_DIRECTORIES = new Set([
  "node_modules",
  ".next",
  "dist",
  "data",
  "generated",
  "test-results",
  "playwright-report",
  "test-reports",
  ".git",
]);

function sourceFiles(directory = ROOT): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) return SKIPPED_DIRECTORIES.has(entry.name) ? [] : sourceFiles(full);
    return SOURCE_EXTENSIONS.has(path.extname(entry.name)) && !entry.name.endsWith(".d.ts") ? [full] : [];
  });
}

const relative = (file: string) => path.relative(ROOT, file);
const lineOf = (source: ts.SourceFile, position: number) => source.getLineAndCharacterOfPosition(position).line + 1;

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
}

/** Functions of a file longer than `limit` lines, as "file:line name (n lines)". */
function longFunctions(source: ts.SourceFile, limit: number): string[] {
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && "body" in node && node.body) {
      const lines = lineOf(source, node.getEnd()) - lineOf(source, node.getStart(source)) + 1;
      if (lines > limit)
        found.push(`${relative(source.fileName)}:${lineOf(source, node.getStart(source))} ${nameOf(node)} (${lines} lines)`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function nameOf(node: ts.Node): string {
  if ((ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) && node.name) return node.name.getText();
  if (ts.isVariableDeclaration(node.parent)) return node.parent.name.getText();
  return "(anonymous)";
}

/** Static imports and re-exports (type-only ones too: they tie modules together just the same); lazy import() is left out. */
function importedFiles(source: ts.SourceFile, options: ts.CompilerOptions): string[] {
  const specifiers: string[] = [];
  for (const statement of source.statements) {
    if (
      (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) &&
      statement.moduleSpecifier &&
      ts.isStringLiteral(statement.moduleSpecifier)
    ) {
      specifiers.push(statement.moduleSpecifier.text);
    }
  }
  return specifiers.flatMap((specifier) => {
    const resolved = ts.resolveModuleName(specifier, source.fileName, options, ts.sys).resolvedModule;
    return resolved && !resolved.isExternalLibraryImport && !resolved.resolvedFileName.includes("node_modules")
      ? [path.resolve(resolved.resolvedFileName)]
      : [];
  });
}

/** Strongly connected components with more than one module, or a module importing itself (Tarjan). */
function importCycles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let counter = 0;
  const connect = (file: string) => {
    index.set(file, counter);
    low.set(file, counter);
    counter += 1;
    stack.push(file);
    onStack.add(file);
    for (const next of graph.get(file) ?? []) {
      if (!graph.has(next)) continue;
      if (!index.has(next)) {
        connect(next);
        low.set(file, Math.min(low.get(file) as number, low.get(next) as number));
      } else if (onStack.has(next)) low.set(file, Math.min(low.get(file) as number, index.get(next) as number));
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    for (;;) {
      const member = stack.pop() as string;
      onStack.delete(member);
      component.push(member);
      if (member === file) break;
    }
    if (component.length > 1 || (graph.get(file) ?? []).includes(file)) cycles.push(component.map(relative).sort());
  };
  for (const file of graph.keys()) if (!index.has(file)) connect(file);
  return cycles;
}

function compilerOptions(): ts.CompilerOptions {
  const configFile = ts.readConfigFile(path.join(ROOT, "tsconfig.json"), (file) => ts.sys.readFile(file));
  return ts.parseJsonConfigFileContent(configFile.config, ts.sys, ROOT).options;
}

describe("code structure", () => {
  const files = sourceFiles();
  const sources = new Map(files.map((file) => [file, parse(file)]));

  it(`keeps every source file at most ${MAX_FILE_LINES} lines`, () => {
    const long = [...sources.values()].flatMap((source) => {
      const lines = source.getLineStarts().length;
      return lines > MAX_FILE_LINES ? [`${relative(source.fileName)} (${lines} lines)`] : [];
    });
    expect(long).toEqual([]);
  });

  it(`keeps every function in app/ at most ${MAX_APP_FUNCTION_LINES} lines`, () => {
    const appSources = [...sources.values()].filter((source) => relative(source.fileName).startsWith(`app${path.sep}`));
    expect(appSources.length).toBeGreaterThan(0);
    expect(appSources.flatMap((source) => longFunctions(source, MAX_APP_FUNCTION_LINES))).toEqual([]);
  });

  it("has no import cycle", () => {
    const options = compilerOptions();
    const graph = new Map([...sources].map(([file, source]) => [file, importedFiles(source, options)]));
    expect([...graph.values()].some((imports) => imports.length > 0)).toBe(true);
    expect(importCycles(graph)).toEqual([]);
  });

  it("finds a cycle, a long file and a long function when there is one", () => {
    expect(
      importCycles(
        new Map([
          ["a", ["b"]],
          ["b", ["c"]],
          ["c", ["a"]],
          ["d", ["a"]],
        ]),
      ),
    ).toEqual([["a", "b", "c"]]);
    const body = Array.from({ length: MAX_APP_FUNCTION_LINES }, (_, line) => `  const v${line} = ${line};`).join("\n");
    const source = ts.createSourceFile(
      path.join(ROOT, "app/probe.tsx"),
      `export function Probe() {\n${body}\n}\n`,
      ts.ScriptTarget.Latest,
      true,
    );
    expect(longFunctions(source, MAX_APP_FUNCTION_LINES)).toEqual([
      `app${path.sep}probe.tsx:1 Probe (${MAX_APP_FUNCTION_LINES + 2} lines)`,
    ]);
  });
});
