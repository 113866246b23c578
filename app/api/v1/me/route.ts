export { getMeRoute as GET } from "@/lib/server/api/plan-routes";
export { POST, PATCH, PUT, DELETE } from "@/lib/server/api/method-not-allowed";
