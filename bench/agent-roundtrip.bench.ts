/**
 * An agent's round trip: `run_plan` with 20 operations (6 writes, 6 edits,
 * 4 reads, 2 searches, 2 commands) through the MCP server over Streamable
 * HTTP, waiting for the report — against a bare sequence of the same
 * operations done directly in Node (fs calls, one regex pass per search,
 * `/bin/sh -c` per command), alternately, median of the rounds. The server
 * side is the real route handler (token authentication, one stateless MCP
 * server per request) behind a real HTTP server, the in-process runner
 * persisting to SQLite. No target: the ratio is reported.
 * Usage: npx tsx bench/agent-roundtrip.bench.ts [rounds]
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { registerWorkspace } from "../lib/db/workspaces";
import type { RunToolResult } from "../lib/mcp/agent-backend";
import type { PlanDocumentInput } from "../lib/plan/schema";
import { mcpRoute } from "../lib/server/mcp-route";
import { createTeamWithMember, createTokenFor } from "../lib/testing/fixtures";
import { serveRoute } from "../lib/testing/serve-route";
import { createTestApp } from "../lib/testing/test-app";
import { createTestDatabase } from "../lib/testing/test-database";
import { median, ms, printTable } from "./runner-bench-kit";

const ROUNDS = Number(process.argv[2] ?? 7);
const root = mkdtempSync(path.join(os.tmpdir(), "batchboard-bench-agent-"));

const source = (index: number) => `export const name${index} = "old_${index}";\nexport const other${index} = ${index};\n`;
function resetFiles(directory: string): void {
  rmSync(directory, { recursive: true, force: true });
  mkdirSync(path.join(directory, "src"), { recursive: true });
  for (let index = 0; index < 10; index += 1) writeFileSync(path.join(directory, `src/module${index}.ts`), source(index));
}

const plan: PlanDocumentInput = {
  name: "Agent round trip",
  nodes: [
    ...Array.from({ length: 6 }, (_, index) => ({
      id: `write${index}`,
      type: "file.write" as const,
      params: { path: `gen/out${index}.ts`, content: `export const generated${index} = ${index};\n` },
    })),
    ...Array.from({ length: 6 }, (_, index) => ({
      id: `edit${index}`,
      type: "file.edit" as const,
      params: { path: `src/module${index}.ts`, edits: [{ find: `old_${index}`, replace: `new_${index}` }] },
    })),
    ...Array.from({ length: 4 }, (_, index) => ({
      id: `read${index}`,
      type: "file.read" as const,
      params: { paths: [`src/module${6 + index}.ts`] },
    })),
    { id: "search-old", type: "search", params: { pattern: "old_", glob: "src/**/*.ts" } },
    { id: "search-other", type: "search", params: { pattern: "other\\d+", regex: true, glob: "src/**/*.ts" } },
    { id: "count", type: "shell", params: { command: "ls src | wc -l" } },
    { id: "check", type: "shell", params: { command: "grep -c new_ src/module0.ts" } },
  ],
  edges: [...Array.from({ length: 6 }, (_, index) => ({ from: `edit${index}`, to: "search-old" })), { from: "edit0", to: "check" }],
};

/** The same 20 operations, one after another, directly. */
function bareSequence(directory: string): number {
  let matches = 0;
  const at = (file: string) => path.join(directory, file);
  mkdirSync(at("gen"), { recursive: true });
  for (let index = 0; index < 6; index += 1) writeFileSync(at(`gen/out${index}.ts`), `export const generated${index} = ${index};\n`);
  for (let index = 0; index < 6; index += 1) {
    const file = at(`src/module${index}.ts`);
    writeFileSync(file, readFileSync(file, "utf8").replace(`old_${index}`, `new_${index}`));
  }
  for (let index = 0; index < 4; index += 1) readFileSync(at(`src/module${6 + index}.ts`), "utf8");
  for (const pattern of [/old_/g, /other\d+/g]) {
    for (const name of readdirSync(at("src"))) matches += [...readFileSync(at(`src/${name}`), "utf8").matchAll(pattern)].length;
  }
  execFileSync("/bin/sh", ["-c", "ls src | wc -l"], { cwd: directory });
  execFileSync("/bin/sh", ["-c", "grep -c new_ src/module0.ts"], { cwd: directory });
  return matches;
}

const db = await createTestDatabase("sqlite");
const { team, user } = await createTeamWithMember(db.client, "owner");
const app = createTestApp(db, { team, owner: user, workspace: { id: "unused", name: "default", directory: "/nonexistent" } });
const token = (await createTokenFor(db.client, user.id, team.id)).secret;
const workspace = await registerWorkspace(
  db.client,
  team.id,
  { name: "bench", source: { kind: "new" } },
  { root, dataDir: path.join(root, "..", "data") },
);
const served = await serveRoute(mcpRoute.withApp(app));
const client = new Client({ name: "bench-agent", version: "1.0.0" });
await client.connect(
  new StreamableHTTPClientTransport(new URL(`${served.url}/api/mcp`), { requestInit: { headers: { authorization: `Bearer ${token}` } } }),
);
const bareDirectory = path.join(root, "bare");

const mcpTimes: number[] = [];
const bareTimes: number[] = [];
let failures = 0;
// Round 0 warms both sides up (module loading, the zygote, prepared statements) and is not counted.
for (let round = 0; round <= ROUNDS; round += 1) {
  resetFiles(workspace.directory);
  let started = performance.now();
  const result = await client.callTool({ name: "run_plan", arguments: { plan, workspace: "bench", waitSeconds: 120 } });
  const elapsed = performance.now() - started;
  const answer = result.structuredContent as RunToolResult;
  if (result.isError || answer.status !== "succeeded" || answer.report?.nodes.length !== 20) failures += 1;
  resetFiles(bareDirectory);
  started = performance.now();
  bareSequence(bareDirectory);
  const bare = performance.now() - started;
  if (round > 0) {
    mcpTimes.push(elapsed);
    bareTimes.push(bare);
  }
}
await client.close();
await served.close();
await db.destroy();
rmSync(root, { recursive: true, force: true });

const mcp = median(mcpTimes);
const bare = median(bareTimes);
printTable(
  ["", "median", "range", "ratio"],
  [
    [
      "run_plan over MCP/HTTP, until the report is back",
      ms(mcp),
      `${ms(Math.min(...mcpTimes))}–${ms(Math.max(...mcpTimes))}`,
      `${(mcp / bare).toFixed(1)}×`,
    ],
    ["bare sequence in Node", ms(bare), `${ms(Math.min(...bareTimes))}–${ms(Math.max(...bareTimes))}`, "1.0×"],
  ],
);
console.log(
  `\n${ROUNDS} rounds, load average ${os
    .loadavg()
    .map((load) => load.toFixed(1))
    .join(" ")}`,
);
if (failures) {
  console.log(`${failures} round(s) did not succeed with 20 nodes reported`);
  process.exit(1);
}
