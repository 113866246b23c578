/**
 * The CLI's ahead-of-time build: where it lives, whether it is older than its
 * sources, and how its bundles are loaded. Shared by the build
 * (build-cli.mjs) and the launcher (batchboard.cjs); CommonJS so that
 * starting the CLI loads none of Node's ES module machinery.
 */
const { readFileSync, renameSync, statSync, writeFileSync } = require("node:fs");
const Module = require("node:module");
const path = require("node:path");
const vm = require("node:vm");

/** The repository root. */
const ROOT = path.join(__dirname, "..");
/** The CLI's entry source, root-relative. */
const MAIN_SOURCE = path.join("lib", "cli", "main.ts");
/** Where the bundles go, in the tree of their sources under lib/, so module-relative paths keep their meaning. */
const BUILD_DIR = path.join(ROOT, "dist");
/** The CLI's bundles. */
const CLI_BUILD_DIR = path.join(BUILD_DIR, "cli");
/** The entry bundle. */
const CLI_BUILD_ENTRY = path.join(CLI_BUILD_DIR, "main.cjs");
/** How one bundle requires another: `require("bundle:db/run-store.cjs")` is dist/db/run-store.cjs. */
const BUNDLE_SCHEME = "bundle:";
/** The sources the build was made from, one root-relative path a line. */
const CLI_BUILD_INPUTS = path.join(CLI_BUILD_DIR, "inputs.txt");

/** V8's code cache of a bundle. */
const codeCacheOf = (bundle) => `${bundle}.cache`;

/**
 * Compiles a bundle as a CommonJS module's function, from `cachedData` when
 * given and V8 accepts it (it checks the source and its own version and
 * flags, and compiles anew otherwise).
 */
function compileBundle(file, source, cachedData) {
  return new vm.Script(Module.wrap(source), { filename: file, cachedData });
}

/** The bundles this process loaded, by file, with their compiled scripts. */
const loadedBundles = new Map();
const nodeRequire = Module.createRequire(CLI_BUILD_ENTRY);

/**
 * Loads a bundle as a CommonJS module compiled from its code cache: `require`
 * would parse and compile it at every start, which is most of what
 * `validate` costs beyond Node's own start. A bundle's
 * `require("bundle:cli/commands.cjs")` loads that bundle the same way.
 */
function loadBundle(file) {
  const known = loadedBundles.get(file);
  if (known) return known.module.exports;
  let cachedData;
  try {
    cachedData = readFileSync(codeCacheOf(file));
  } catch {
    // No cache: compiled from source.
  }
  // esbuild writes ASCII only, and Latin-1 makes V8's cheaper one-byte string.
  const script = compileBundle(file, readFileSync(file, "latin1"), cachedData);
  const module = { exports: {}, filename: file };
  loadedBundles.set(file, { script, module });
  const bundleRequire = (id) =>
    id.startsWith(BUNDLE_SCHEME) ? loadBundle(path.join(BUILD_DIR, id.slice(BUNDLE_SCHEME.length))) : nodeRequire(id);
  bundleRequire.resolve = nodeRequire.resolve;
  script.runInThisContext()(module.exports, bundleRequire, module, file, path.dirname(file));
  return module.exports;
}

/** Rewrites the code cache of each bundle loaded, with every function compiled so far. */
function writeCodeCaches() {
  for (const [file, { script }] of loadedBundles) {
    writeAtomically(codeCacheOf(file), script.createCachedData());
  }
}

/** Writes through a temporary file renamed into place, so a CLI starting meanwhile reads the old file or the new one, never half of one. */
function writeAtomically(file, contents) {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, contents);
  renameSync(temporary, file);
}

/**
 * Whether the build is missing or older than one of its sources (or one of
 * them is gone). Costs one stat per source file (about 170, ~2.5 ms).
 */
function isCliBuildStale() {
  let builtAt;
  let inputs;
  try {
    builtAt = statSync(CLI_BUILD_ENTRY).mtimeMs;
    inputs = readFileSync(CLI_BUILD_INPUTS, "utf8").split("\n");
  } catch {
    return true;
  }
  inputs.push("scripts/build-cli.mjs", "scripts/cli-bundle.cjs");
  for (const input of inputs) {
    if (input === "") continue;
    // The inputs are the build's normalised root-relative paths: joined as strings, since path.join's first
    // calls in a fresh process cost ~2 ms more over these 170 paths.
    const modified = statSync(`${ROOT}/${input}`, { throwIfNoEntry: false })?.mtimeMs;
    if (modified === undefined || modified > builtAt) return true;
  }
  return false;
}

module.exports = {
  ROOT,
  MAIN_SOURCE,
  BUILD_DIR,
  CLI_BUILD_DIR,
  CLI_BUILD_ENTRY,
  BUNDLE_SCHEME,
  CLI_BUILD_INPUTS,
  codeCacheOf,
  compileBundle,
  loadedBundles,
  loadBundle,
  writeCodeCaches,
  writeAtomically,
  isCliBuildStale,
};
