export { createTeamRoute as POST } from "@/lib/server/api/instance-routes";
