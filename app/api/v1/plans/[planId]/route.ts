export { getPlanRoute as GET, updatePlanRoute as PATCH } from "@/lib/server/api/plan-routes";
