export { getInstanceRoute as GET, updateInstanceRoute as PATCH } from "@/lib/server/api/instance-routes";
export { POST, PUT, DELETE } from "@/lib/server/api/method-not-allowed";
