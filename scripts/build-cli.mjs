/**
 * Builds the CLI (lib/cli/main.ts) ahead of time into dist/: CommonJS
 * bundles of the project's own sources, each with a V8 code cache. Packages
 * stay in node_modules (native modules, Prisma's runtime and its
 * WebAssembly), so the bundles need no copies of them.
 *
 * Why CommonJS: on Node 20 an ES module entry loads the ESM loader's
 * internals (~10 ms), and ES module chunks cost a resolve, read and link
 * each; a script compiled from its code cache skips the parse and compile
 * too (cli-bundle.cjs loads them).
 *
 * `node scripts/build-cli.mjs` builds (npm's postinstall does, after the
 * Prisma clients are generated); scripts/batchboard.cjs rebuilds on start
 * when a source is newer than the build (cli-bundle.cjs).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import layout from "./cli-bundle.cjs";

const {
  ROOT,
  BUILD_DIR,
  BUNDLE_SCHEME,
  CLI_BUILD_DIR,
  CLI_BUILD_ENTRY,
  CLI_BUILD_INPUTS,
  MAIN_SOURCE,
  codeCacheOf,
  compileBundle,
  writeAtomically,
} = layout;

/**
 * Packages loaded from node_modules at run time rather than bundled: native
 * modules, and Prisma with its drivers (they locate WebAssembly and engine
 * files next to their own modules). Everything else (zod above all, whose
 * hundreds of small modules cost more to resolve than to run) is bundled;
 * better-sqlite3's JavaScript too (its dozen modules took ~9 ms to load),
 * its addon still loaded from node_modules (lib/db/sqlite-file.ts names it).
 */
const EXTERNAL_PACKAGES = [
  "*.node",
  "bindings",
  "@node-rs/*",
  "@prisma/*",
  "@electric-sql/*",
  "pglite-prisma-adapter",
  "pg",
  "bullmq",
  "ioredis",
];
/** The project's sources. */
const LIB = path.join(ROOT, "lib");
/** `import("./x")` or `import("../y/z")` of a project module (the specifier). */
const LAZY_IMPORT = /import\("(\.\.?\/[\w/-]+)"\)/g;
/** Files of earlier builds are kept this long for CLI processes started before the rebuild, which may still load them. */
const OLD_BUILD_GRACE_MS = 60 * 60 * 1000;

/**
 * Bundles the CLI: main.ts, and as a bundle of its own each project module
 * that is imported lazily (`import("./plan-commands")`,
 * `import("../db/run-store")`), so a command reads and compiles only its own
 * code (the text alone costs ~7 ms per MB to read) and Prisma's runtime still
 * loads only when asked for. Bundles mirror the sources' tree under dist/
 * (lib/cli/main.ts → dist/cli/main.cjs), so module-relative paths keep their
 * meaning.
 *
 * No bundle has a lazily imported module of the project inside it: esbuild would
 * initialise it, and everything it imports, on first use, and its order of
 * initialisation breaks the MCP SDK's use of zod ("Class2 is not a
 * constructor"); the build fails if one slips in.
 *
 * Then writes V8's code cache of each bundle, and has the launcher validate a
 * sample plan and run another to add to the caches of the bundles those use
 * every function they compiled. Outputs are written to temporary files and
 * renamed into place, the entry last, so a CLI starting meanwhile loads whole
 * files; a cache that does not match its bundle is rejected by V8 and costs
 * only the compile it would have saved.
 */
export async function buildCli() {
  const esbuild = await import("esbuild");
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: [MAIN_SOURCE, ...lazilyImportedModules()],
    outbase: "lib",
    outdir: BUILD_DIR,
    outExtension: { ".js": ".cjs" },
    bundle: true,
    format: "cjs",
    platform: "node",
    target: "node20",
    external: EXTERNAL_PACKAGES,
    // A script compiled by vm has no import() (Node's callback for it is experimental and lost with the code cache):
    // Prisma's ES modules are loaded with require(), which Node supports from 20.19.
    supported: { "dynamic-import": false },
    define: { "import.meta.url": "__cliBundleUrl" },
    banner: { js: 'const __cliBundleUrl = require("node:url").pathToFileURL(__filename).href;' },
    metafile: true,
    write: false,
    logLevel: "warning",
    legalComments: "none",
    // Smaller text to compile at every start; identifiers are kept, so stack traces stay readable.
    minifyWhitespace: true,
    minifySyntax: true,
    plugins: [englishOnlyZod, lazyImportsAsBundles],
  });
  for (const output of result.outputFiles)
    if (output.text.includes("__esm({"))
      throw new Error(`${path.relative(ROOT, output.path)} initialises a module lazily: import("…") it with a literal path, or statically`);
  // Packages change with npm install, which rebuilds through postinstall; the project's sources are checked on
  // start. Plugin modules ("namespace:path") are no files.
  const inputs = Object.keys(result.metafile.inputs).filter((input) => !input.startsWith("node_modules/") && !input.includes(":"));
  mkdirSync(CLI_BUILD_DIR, { recursive: true });
  writeAtomically(CLI_BUILD_INPUTS, inputs.join("\n") + "\n");
  const outputs = [...result.outputFiles].sort((a, b) => Number(a.path === CLI_BUILD_ENTRY) - Number(b.path === CLI_BUILD_ENTRY));
  for (const output of outputs) {
    mkdirSync(path.dirname(output.path), { recursive: true });
    writeAtomically(output.path, output.contents);
    writeAtomically(codeCacheOf(output.path), compileBundle(output.path, output.text).createCachedData());
  }
  removeEarlierBuilds(new Set(outputs.map((output) => output.path)));
  cacheWhatCommandsCompile();
}

/** Project modules that lib/ imports with `import("…")`, root-relative. */
function lazilyImportedModules() {
  const modules = new Set();
  for (const entry of readdirSync(LIB, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith(".ts") || entry.name.endsWith(".test.ts")) continue;
    const directory = entry.parentPath ?? entry.path;
    for (const [, specifier] of readFileSync(path.join(directory, entry.name), "utf8").matchAll(LAZY_IMPORT))
      modules.add(path.relative(ROOT, path.join(directory, `${specifier}.ts`)));
  }
  return [...modules];
}

/**
 * A lazy `import("../db/run-store")` becomes `require("bundle:db/run-store.cjs")`
 * (the bundle's path under dist/): the launcher loads that bundle.
 */
const lazyImportsAsBundles = {
  name: "lazy-imports-as-bundles",
  setup(build) {
    build.onResolve({ filter: /^\.\.?\// }, (args) => {
      if (args.kind !== "dynamic-import" || !args.importer.startsWith(LIB + path.sep)) return undefined;
      const bundle = path.relative(LIB, path.join(path.dirname(args.importer), args.path));
      return { path: `${BUNDLE_SCHEME}${bundle.split(path.sep).join("/")}.cjs`, namespace: "lazy-bundle" };
    });
    build.onLoad({ filter: /.*/, namespace: "lazy-bundle" }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
    }));
    build.onResolve({ filter: /.*/, namespace: "lazy-bundle" }, (args) => ({ path: args.path, external: true }));
  },
};

/**
 * Has the launcher validate a sample plan, then run a small one (a file
 * written, a command) in a scratch workspace and database, each with the
 * setting that makes it add what it compiled to the code caches of the
 * bundles it ran: functions compiled at first call cost `run` ~14 ms more.
 */
function cacheWhatCommandsCompile() {
  const launch = (args, env) =>
    spawnSync(process.execPath, [path.join(ROOT, "scripts", "batchboard.cjs"), ...args], { env, stdio: ["ignore", "ignore", "pipe"] });
  const writing = { BATCHBOARD_CLI_CODE_CACHE: "write" };
  const validated = launch(["validate", path.join(ROOT, "examples", "hello-site.json")], { ...process.env, ...writing });
  if (validated.status !== 0) throw new Error(`writing the CLI's code cache failed (exit ${validated.status}): ${validated.stderr}`);
  const scratch = mkdtempSync(path.join(os.tmpdir(), "batchboard-cli-cache-"));
  try {
    const workspace = path.join(scratch, "workspace");
    mkdirSync(workspace);
    const plan = path.join(scratch, "plan.json");
    writeFileSync(plan, JSON.stringify(CACHE_SAMPLE_RUN));
    // None of the configured settings (database, workspaces, cluster): the sample is recorded and run in the scratch
    // directory only, with the defaults.
    const inherited = Object.fromEntries(
      ["PATH", "HOME", "TMPDIR"].filter((name) => process.env[name]).map((name) => [name, process.env[name]]),
    );
    const env = { ...inherited, BATCHBOARD_DATA_DIR: path.join(scratch, "data") };
    const run = (extra) => launch(["run", plan, "--workspace", workspace], { ...env, ...extra });
    // The first run creates and migrates the scratch database, which later runs do not do.
    let ran = run({});
    // Where the sandbox cannot start (no bubblewrap), the run's own path still gets cached, uncontained.
    const sandbox = ran.status === 0 ? {} : { BATCHBOARD_SANDBOX: "off" };
    ran = run({ ...sandbox, ...writing });
    if (ran.status !== 0) throw new Error(`writing the CLI's code cache failed (run exit ${ran.status}): ${ran.stderr}`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** What the code cache is written from: a plan `run` compiles the common paths of (a file written, a command). */
const CACHE_SAMPLE_RUN = {
  name: "code cache sample",
  nodes: [
    { id: "write", type: "file.write", params: { path: "note.txt", content: "cached\n" } },
    { id: "check", type: "shell", params: { command: "test -s note.txt" } },
  ],
  edges: [{ from: "write", to: "check" }],
};

/**
 * `z.locales` re-exports every language's messages (40% of zod's code); the
 * CLI only ever uses English, zod's default, so the others are left out.
 */
const englishOnlyZod = {
  name: "english-only-zod",
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      args.importer.includes(`${path.sep}node_modules${path.sep}zod${path.sep}`)
        ? { path: path.join(path.dirname(args.importer), "../locales/en.js"), namespace: "zod-locales" }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: "zod-locales" }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(args.path)};`,
      resolveDir: path.dirname(args.path),
    }));
  },
};

/** Removes the bundles and caches of earlier builds once no CLI started before could still load them. */
function removeEarlierBuilds(current) {
  const now = Date.now();
  for (const entry of readdirSync(BUILD_DIR, { recursive: true, withFileTypes: true })) {
    const file = path.join(entry.parentPath ?? entry.path, entry.name);
    if (!entry.isFile() || current.has(file.replace(/\.cache$/, "")) || !/\.c?js(\.cache)?$/.test(file)) continue;
    if (now - statSync(file).mtimeMs > OLD_BUILD_GRACE_MS) rmSync(file, { force: true });
  }
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  try {
    await buildCli();
  } catch (error) {
    // An install without dev dependencies has no esbuild: the launcher runs the sources through tsx instead.
    if (error?.code !== "ERR_MODULE_NOT_FOUND") throw error;
    console.warn("batchboard: esbuild is not installed; the CLI will run its TypeScript sources through tsx");
    process.exit(0);
  }
  if (!existsSync(CLI_BUILD_ENTRY)) throw new Error("the CLI build wrote no entry module");
}
