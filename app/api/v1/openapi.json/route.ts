import { buildOpenApiDocument } from "@/lib/server/api/openapi";

/** Public: the contract is no secret, and tools fetch it without a token. */
export function GET(): Response {
  return Response.json(buildOpenApiDocument());
}
export { POST, PATCH, PUT, DELETE } from "@/lib/server/api/method-not-allowed";
