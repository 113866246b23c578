#!/usr/bin/env node
// Launcher for `npx batchboard …`: runs the CLI built ahead of time into
// dist/cli (scripts/build-cli.mjs), rebuilding it first when a source is
// newer; where esbuild is not installed, the TypeScript sources run through tsx.
import { CLI_BUILD_ENTRY, buildCli, isCliBuildStale } from "./build-cli.mjs";

let entry = CLI_BUILD_ENTRY;
if (isCliBuildStale()) {
  try {
    await buildCli();
  } catch (error) {
    if (error?.code !== "ERR_MODULE_NOT_FOUND") throw error;
    const { register } = await import("tsx/esm/api");
    register();
    entry = new URL("../lib/cli/main.ts", import.meta.url).pathname;
  }
}
await import(entry);
