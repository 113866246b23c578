export { getRunRoute as GET } from "@/lib/server/api/run-routes";
export { POST, PATCH, PUT, DELETE } from "@/lib/server/api/method-not-allowed";
