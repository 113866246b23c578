export const dynamic = "force-dynamic";

/** POST /api/mcp — Batchboard's MCP server over Streamable HTTP (see docs/agents.md). */
export { mcpRoute as POST, mcpMethodNotAllowed as GET, mcpMethodNotAllowed as DELETE } from "@/lib/server/mcp-route";
