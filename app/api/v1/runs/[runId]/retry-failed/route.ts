export { retryFailedRoute as POST } from "@/lib/server/api/run-routes";
export { GET, PATCH, PUT, DELETE } from "@/lib/server/api/method-not-allowed";
