export { listRunsRoute as GET, startRunRoute as POST } from "@/lib/server/api/run-routes";
