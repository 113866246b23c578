/**
 * Every better-sqlite3 connection the project opens itself, with its
 * compiled addon named directly. Otherwise each process's first connection
 * has the `bindings` package search a dozen places for it (~3 ms of a CLI
 * start), and the CLI's bundles, which carry better-sqlite3's JavaScript
 * (scripts/build-cli.mjs), would send that search to the wrong directory.
 */
import { createRequire } from "node:module";
import BetterSqlite3 from "better-sqlite3";

let addon: string | null | undefined;

/** The addon's path; null under Next's bundler, whose require.resolve answers a module id (the package finds its addon there). */
function addonPath(): string | null {
  const resolved: unknown = createRequire(import.meta.url).resolve("better-sqlite3/build/Release/better_sqlite3.node");
  return typeof resolved === "string" ? resolved : null;
}

export function openSqliteFile(filePath: string, options: BetterSqlite3.Options = {}): BetterSqlite3.Database {
  addon ??= addonPath();
  return new BetterSqlite3(filePath, addon ? { ...options, nativeBinding: addon } : options);
}
