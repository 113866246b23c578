export { listWorkspacesRoute as GET } from "@/lib/server/api/plan-routes";
