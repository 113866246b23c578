export { undoRunRoute as POST } from "@/lib/server/api/run-repair-routes";
