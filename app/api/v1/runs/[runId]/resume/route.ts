export { resumeRunRoute as POST } from "@/lib/server/api/run-repair-routes";
