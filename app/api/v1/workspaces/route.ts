export { listWorkspacesRoute as GET, registerWorkspaceRoute as POST } from "@/lib/server/api/workspace-routes";
