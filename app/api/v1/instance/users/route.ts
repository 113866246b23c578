export { listInstanceUsersRoute as GET } from "@/lib/server/api/instance-routes";
export { POST, PUT, PATCH, DELETE } from "@/lib/server/api/method-not-allowed";
