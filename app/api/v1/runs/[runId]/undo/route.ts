export { undoRunRoute as POST } from "@/lib/server/api/run-repair-routes";
export { GET, PATCH, PUT, DELETE } from "@/lib/server/api/method-not-allowed";
