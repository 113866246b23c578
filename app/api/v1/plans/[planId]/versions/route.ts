export { listVersionsRoute as GET, saveVersionRoute as POST } from "@/lib/server/api/plan-routes";
export { PATCH, PUT, DELETE } from "@/lib/server/api/method-not-allowed";
