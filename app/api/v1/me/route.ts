export { getMeRoute as GET } from "@/lib/server/api/plan-routes";
