export { updateInstanceUserRoute as PATCH } from "@/lib/server/api/instance-routes";
