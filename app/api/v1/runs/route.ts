export { listRunsRoute as GET, startRunRoute as POST } from "@/lib/server/api/run-routes";
export { PATCH, PUT, DELETE } from "@/lib/server/api/method-not-allowed";
