import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * The CLI's ahead-of-time build as the launcher loads it (scripts/cli-bundle.cjs),
 * each case in a fresh Node process: every bundle initialises, from a code
 * cache V8 accepts, and a command loads only its own bundles.
 */
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const LAYOUT = path.join(ROOT, "scripts/cli-bundle.cjs");
const layout = createRequire(import.meta.url)(LAYOUT) as { BUILD_DIR: string; isCliBuildStale(): boolean };

/** Runs `script` in a fresh Node with the loader as `bundles`; returns what it printed, parsed. */
function inFreshNode(script: string, args: string[] = [], env: NodeJS.ProcessEnv = process.env): unknown {
  const child = spawnSync(process.execPath, ["-e", `const bundles = require(${JSON.stringify(LAYOUT)});\n${script}`, "--", ...args], {
    cwd: ROOT,
    env,
    encoding: "utf8",
  });
  expect(child.stderr).toBe("");
  expect(child.status).toBe(0);
  return JSON.parse(child.stdout.split("\n").filter(Boolean).pop() as string);
}

function bundlesBuilt(): string[] {
  return readdirSync(layout.BUILD_DIR, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".cjs"))
    .map((file) => path.join(layout.BUILD_DIR, file));
}

describe("the CLI's bundles", () => {
  beforeAll(() => {
    if (layout.isCliBuildStale()) expect(spawnSync(process.execPath, [path.join(ROOT, "scripts/build-cli.mjs")]).status).toBe(0);
  }, 60_000);

  it("each initialises in a fresh process, compiled from a code cache V8 accepts", () => {
    const files = bundlesBuilt().filter((file) => !file.endsWith(`${path.sep}main.cjs`));
    // The commands, and the lazily imported parts of the database (run store, migrations, Prisma clients).
    expect(files.map((file) => path.relative(layout.BUILD_DIR, file))).toEqual(
      expect.arrayContaining([
        path.join("cli", "plan-commands.cjs"),
        path.join("cli", "commands.cjs"),
        path.join("cli", "mcp-command.cjs"),
        path.join("db", "run-store.cjs"),
      ]),
    );
    const loaded = inFreshNode(
      `const result = {};
       for (const file of process.argv.slice(1)) {
         const exported = Object.keys(bundles.loadBundle(file));
         result[file] = { exported: exported.length > 0, cacheRejected: bundles.loadedBundles.get(file).script.cachedDataRejected };
       }
       console.log(JSON.stringify(result));`,
      files,
    );
    expect(loaded).toEqual(Object.fromEntries(files.map((file) => [file, { exported: true, cacheRejected: false }])));
  }, 60_000);

  it("is stale once one of its sources is newer than the build, and fresh again when that is undone", () => {
    expect(layout.isCliBuildStale()).toBe(false);
    const source = path.join(ROOT, "lib/plan/schema.ts");
    const { atime, mtime } = statSync(source);
    try {
      utimesSync(source, atime, new Date(Date.now() + 60_000));
      expect(layout.isCliBuildStale()).toBe(true);
    } finally {
      utimesSync(source, atime, mtime);
    }
    expect(layout.isCliBuildStale()).toBe(false);
  });

  it("`validate` loads the entry and the plan commands, none of the runner or the database", () => {
    const sample = path.join(ROOT, "examples/hello-site.json");
    const loaded = inFreshNode(
      `process.argv = [process.argv[0], "batchboard", "validate", process.argv[1]];
       process.exit = (code) => {
         console.log(JSON.stringify({ code, bundles: [...bundles.loadedBundles.keys()] }));
         process.reallyExit(code);
       };
       bundles.loadBundle(bundles.CLI_BUILD_ENTRY);`,
      [sample],
    );
    expect(loaded).toEqual({
      code: 0,
      bundles: [path.join(layout.BUILD_DIR, "cli", "main.cjs"), path.join(layout.BUILD_DIR, "cli", "plan-commands.cjs")],
    });
  });

  describe("`run`", () => {
    let scratch: string;
    let runArgs: string[];
    let env: NodeJS.ProcessEnv;
    beforeAll(() => {
      scratch = mkdtempSync(path.join(os.tmpdir(), "batchboard-cli-bundle-"));
      mkdirSync(path.join(scratch, "workspace"));
      const plan = path.join(scratch, "plan.json");
      writeFileSync(
        plan,
        JSON.stringify({
          name: "bundle check",
          nodes: [
            { id: "w", type: "file.write", params: { path: "a.txt", content: "a\n" } },
            { id: "c", type: "shell", params: { command: "test -s a.txt" } },
          ],
          edges: [{ from: "w", to: "c" }],
        }),
      );
      runArgs = ["run", plan, "--workspace", path.join(scratch, "workspace")];
      // The scratch database, whatever this machine configures.
      const { DATABASE_URL: _database, REDIS_URL: _redis, BATCHBOARD_WORKSPACE_ROOT: _workspaces, ...inherited } = process.env;
      env = { ...inherited, BATCHBOARD_DATA_DIR: path.join(scratch, "data") };
      // Creates and migrates the scratch database.
      expect(spawnSync(process.execPath, [path.join(ROOT, "scripts/batchboard.cjs"), ...runArgs], { env }).status).toBe(0);
    }, 60_000);
    afterAll(() => rmSync(scratch, { recursive: true, force: true }));

    it("loads better-sqlite3's JavaScript from its bundle and only its addon from node_modules", () => {
      const loaded = inFreshNode(
        `process.argv = [process.argv[0], "batchboard", ...process.argv.slice(1)];
         process.exit = (code) => {
           const fromPackage = Object.keys(require.cache).filter((file) => file.includes("/node_modules/better-sqlite3/"));
           console.log(JSON.stringify({ code, fromPackage }));
           process.reallyExit(code);
         };
         bundles.loadBundle(bundles.CLI_BUILD_ENTRY);`,
        runArgs,
        env,
      );
      expect(loaded).toEqual({
        code: 0,
        fromPackage: [path.join(ROOT, "node_modules/better-sqlite3/build/Release/better_sqlite3.node")],
      });
    }, 60_000);

    it("finds what it compiles in the code cache the build wrote: running it adds little to that cache", () => {
      const cache = path.join(layout.BUILD_DIR, "cli", "commands.cjs.cache");
      const before = statSync(cache).size;
      const launched = spawnSync(process.execPath, [path.join(ROOT, "scripts/batchboard.cjs"), ...runArgs], {
        env: { ...env, BATCHBOARD_CLI_CODE_CACHE: "write" },
      });
      expect(launched.status).toBe(0);
      // A build that cached what `validate` compiles alone left this cache at less than half its size after a run.
      expect(statSync(cache).size).toBeLessThan(before * 1.1);
    }, 60_000);
  });
});
