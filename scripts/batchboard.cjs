#!/usr/bin/env node
// Launcher for `npx batchboard …`: runs the CLI built ahead of time into
// dist/ (scripts/build-cli.mjs), rebuilding it first when a source is newer;
// where esbuild is not installed, the TypeScript sources run through tsx.
"use strict";
const { CLI_BUILD_ENTRY, isCliBuildStale, loadBundle, writeCodeCaches } = require("./cli-bundle.cjs");

// Set by the build: as it exits, rewrite the code cache of each bundle this process ran with every function it compiled
// (those it read from the cache included, so the caches of several sample commands add up).
if (process.env.BATCHBOARD_CLI_CODE_CACHE === "write") process.on("exit", writeCodeCaches);
const run = () => loadBundle(CLI_BUILD_ENTRY);

async function buildAndRun() {
  try {
    await (await import("./build-cli.mjs")).buildCli();
  } catch (error) {
    if (error?.code !== "ERR_MODULE_NOT_FOUND") throw error;
    (await import("tsx/esm/api")).register();
    await import("../lib/cli/main.ts");
    return;
  }
  run();
}

if (isCliBuildStale())
  buildAndRun().catch((error) => {
    process.stderr.write(`batchboard: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  });
else run();
