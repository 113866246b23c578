export { listWorkspacesRoute as GET, registerWorkspaceRoute as POST } from "@/lib/server/api/workspace-routes";
export { PATCH, PUT, DELETE } from "@/lib/server/api/method-not-allowed";
