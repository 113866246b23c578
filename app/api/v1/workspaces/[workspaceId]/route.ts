export { getWorkspaceRoute as GET, updateWorkspaceRoute as PATCH } from "@/lib/server/api/workspace-routes";
