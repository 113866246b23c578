export { getWorkspaceRoute as GET, updateWorkspaceRoute as PATCH } from "@/lib/server/api/workspace-routes";
export { POST, PUT, DELETE } from "@/lib/server/api/method-not-allowed";
