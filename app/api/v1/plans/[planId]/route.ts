export { getPlanRoute as GET, updatePlanRoute as PATCH } from "@/lib/server/api/plan-routes";
export { POST, PUT, DELETE } from "@/lib/server/api/method-not-allowed";
