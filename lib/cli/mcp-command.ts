/**
 * `batchboard mcp`: the MCP server on stdio, on the local database like the
 * other commands, acting as the local team's owner. Stdout carries only the
 * protocol; messages for people go to stderr.
 */
import { fileURLToPath } from "node:url";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { createPrismaRunStore } from "../db/run-store";
import { loadEnv } from "../env";
import { createMcpServer, MCP_SERVER_VERSION } from "../mcp/create-mcp-server";
import { recoverInterruptedRuns } from "../runner/recovery";
import { createAgentBackend } from "../server/agent-backend";
import { createServerRunner } from "../server/app-context";
import { openCliContext } from "./cli-database";

const DOCS_DIRECTORY = fileURLToPath(new URL("../../docs", import.meta.url));

/** Serves MCP on stdin/stdout until the client closes stdin; resolves to the exit code. */
export async function mcpCommand(): Promise<number> {
  const context = await openCliContext();
  try {
    for (const run of await recoverInterruptedRuns(context.resources)) {
      process.stderr.write(`Run ${run.runId} was left running by a stopped runner; marked interrupted\n`);
    }
    const { client } = await context.database();
    const { runs } = createServerRunner(loadEnv(), client, createPrismaRunStore(client));
    const { team, owner } = context.firstStart;
    const backend = createAgentBackend({ client, runs }, { userId: owner.id, teamId: team.id, role: "owner", via: "token" });
    const server = createMcpServer(backend, { docsDirectory: DOCS_DIRECTORY, version: MCP_SERVER_VERSION });
    const closed = new Promise<void>((resolve) => {
      server.server.onclose = resolve;
    });
    await server.connect(new StdioServerTransport());
    const close = () => void server.close();
    process.stdin.once("end", close);
    process.once("SIGINT", close);
    process.once("SIGTERM", close);
    await closed;
    return 0;
  } finally {
    await context.close();
  }
}
