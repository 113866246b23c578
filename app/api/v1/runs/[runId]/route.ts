export { getRunRoute as GET } from "@/lib/server/api/run-routes";
