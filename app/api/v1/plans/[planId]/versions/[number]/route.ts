export { getVersionRoute as GET } from "@/lib/server/api/plan-routes";
