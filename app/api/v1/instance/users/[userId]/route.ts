export { updateInstanceUserRoute as PATCH } from "@/lib/server/api/instance-routes";
export { GET, POST, PUT, DELETE } from "@/lib/server/api/method-not-allowed";
