/**
 * `/api/mcp`: the MCP server over Streamable HTTP, stateless (one server and
 * transport per request, JSON answers), authenticated and scoped like every
 * /api/v1 route: an API token (or the web app's session) acts with its
 * user's role in its team.
 */
import path from "node:path";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { createMcpServer, MCP_SERVER_VERSION } from "../mcp/create-mcp-server";
import { createAgentBackend } from "./agent-backend";
import { defineRoute } from "./route-handler";

export const mcpRoute = defineRoute({ permission: "plan:read" }, async ({ app, caller, request }) => {
  const backend = createAgentBackend({ client: app.db.client, runs: app.runs }, caller);
  const server = createMcpServer(backend, { docsDirectory: path.join(process.cwd(), "docs"), version: MCP_SERVER_VERSION });
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  await server.connect(transport);
  try {
    return await transport.handleRequest(request);
  } finally {
    await server.close();
  }
});

/** Stateless: there is no server-initiated stream to open and no session to end. */
export function mcpMethodNotAllowed(): Response {
  return Response.json(
    { jsonrpc: "2.0", error: { code: -32000, message: "Method not allowed: POST JSON-RPC messages to /api/mcp" }, id: null },
    { status: 405, headers: { allow: "POST" } },
  );
}
