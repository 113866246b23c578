export { createTeamRoute as POST } from "@/lib/server/api/instance-routes";
export { GET, PUT, PATCH, DELETE } from "@/lib/server/api/method-not-allowed";
