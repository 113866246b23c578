export { getInstanceRoute as GET, updateInstanceRoute as PATCH } from "@/lib/server/api/instance-routes";
