export { listVersionsRoute as GET, saveVersionRoute as POST } from "@/lib/server/api/plan-routes";
