/**
 * Builds the CLI (lib/cli/main.ts) ahead of time into dist/cli: one ES module
 * bundle of the project's own sources, split so each command loads only the
 * chunks it imports. Packages stay in node_modules (native modules, Prisma's
 * runtime and its WebAssembly), so the bundle needs no copies of them.
 *
 * `node scripts/build-cli.mjs` builds (npm's postinstall does, after the
 * Prisma clients are generated); scripts/batchboard.mjs rebuilds on start
 * when a source is newer than the build (see {@link isCliBuildStale}).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** The repository root. */
const ROOT = fileURLToPath(new URL("..", import.meta.url));
/** Where the bundle goes; two levels below the root like lib/cli, so module-relative paths (../..) keep meaning the root. */
export const CLI_BUILD_DIR = path.join(ROOT, "dist", "cli");
/** The entry module of the build. */
export const CLI_BUILD_ENTRY = path.join(CLI_BUILD_DIR, "main.js");
/** The sources the build was made from, one root-relative path a line. */
const INPUTS_FILE = path.join(CLI_BUILD_DIR, "inputs.txt");
/**
 * Packages loaded from node_modules at run time rather than bundled: native
 * modules, and Prisma with its drivers (they locate WebAssembly and engine
 * files next to their own modules). Everything else (zod above all, whose
 * hundreds of small modules cost more to resolve than to run) is bundled.
 */
const EXTERNAL_PACKAGES = [
  "better-sqlite3",
  "@node-rs/*",
  "@prisma/*",
  "@electric-sql/*",
  "pglite-prisma-adapter",
  "pg",
  "bullmq",
  "ioredis",
];
/** Chunks of earlier builds are kept this long for CLI processes started before the rebuild, which may still load them. */
const OLD_CHUNK_GRACE_MS = 60 * 60 * 1000;

/**
 * Whether the build is missing or older than one of its sources (or one of
 * them is gone). Costs one stat per source file (about 150), well under a
 * millisecond's worth of the CLI's start.
 */
export function isCliBuildStale() {
  let builtAt;
  let inputs;
  try {
    builtAt = statSync(CLI_BUILD_ENTRY).mtimeMs;
    inputs = readFileSync(INPUTS_FILE, "utf8").split("\n").filter(Boolean);
  } catch {
    return true;
  }
  for (const input of [...inputs, "scripts/build-cli.mjs"]) {
    const modified = statSync(path.join(ROOT, input), { throwIfNoEntry: false })?.mtimeMs;
    if (modified === undefined || modified > builtAt) return true;
  }
  return false;
}

/**
 * Bundles the CLI. Each output is written to a temporary file and renamed
 * into place, the entry last, so a CLI starting meanwhile loads either the
 * old build or the new one, never half a file.
 */
export async function buildCli() {
  const esbuild = await import("esbuild");
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: ["lib/cli/main.ts"],
    outdir: CLI_BUILD_DIR,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    external: EXTERNAL_PACKAGES,
    // Bundled CommonJS packages call require() for Node's built-ins.
    banner: {
      js: 'import { createRequire as __cliCreateRequire } from "node:module"; const require = __cliCreateRequire(import.meta.url);',
    },
    chunkNames: "chunk-[hash]",
    metafile: true,
    write: false,
    logLevel: "warning",
    legalComments: "none",
    // Smaller text to compile at every start; identifiers are kept, so stack traces stay readable.
    minifyWhitespace: true,
    minifySyntax: true,
    plugins: [englishOnlyZod],
  });
  mkdirSync(CLI_BUILD_DIR, { recursive: true });
  const outputs = [...result.outputFiles].sort((a, b) => Number(a.path === CLI_BUILD_ENTRY) - Number(b.path === CLI_BUILD_ENTRY));
  // Packages change with npm install, which rebuilds through postinstall; the project's sources are checked on
  // start. Plugin modules ("namespace:path") are no files.
  const inputs = Object.keys(result.metafile.inputs).filter((input) => !input.startsWith("node_modules/") && !input.includes(":"));
  writeAtomically(INPUTS_FILE, inputs.join("\n") + "\n");
  for (const output of outputs) writeAtomically(output.path, output.contents);
  pruneOldChunks(new Set(outputs.map((output) => path.basename(output.path))));
}

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

function writeAtomically(file, contents) {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, contents);
  renameSync(temporary, file);
}

function pruneOldChunks(current) {
  const now = Date.now();
  for (const name of readdirSync(CLI_BUILD_DIR)) {
    if (!name.endsWith(".js") || current.has(name)) continue;
    const file = path.join(CLI_BUILD_DIR, name);
    if (now - statSync(file).mtimeMs > OLD_CHUNK_GRACE_MS) rmSync(file, { force: true });
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
