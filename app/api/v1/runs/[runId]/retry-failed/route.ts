export { retryFailedRoute as POST } from "@/lib/server/api/run-routes";
