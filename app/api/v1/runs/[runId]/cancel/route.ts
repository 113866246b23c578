export { cancelRunRoute as POST } from "@/lib/server/api/run-routes";
