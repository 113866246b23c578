export { listPlansRoute as GET, createPlanRoute as POST } from "@/lib/server/api/plan-routes";
