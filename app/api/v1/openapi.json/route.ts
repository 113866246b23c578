import { buildOpenApiDocument } from "@/lib/server/api/openapi";

/** Public: the contract is no secret, and tools fetch it without a token. */
export function GET(): Response {
  return Response.json(buildOpenApiDocument());
}
