export { listInstanceUsersRoute as GET } from "@/lib/server/api/instance-routes";
