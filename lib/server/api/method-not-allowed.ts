/**
 * The answer to a method a route does not implement: 405 in the API's error
 * shape with an Allow header, instead of Next's empty 405. Route files
 * re-export the methods they lack from here, e.g.
 * `export { DELETE, PATCH, PUT } from "@/lib/server/api/method-not-allowed";`.
 */
import { apiError } from "../api-errors";
import { ENDPOINTS } from "./endpoints";

/** The methods documented for the route that `pathname` falls under. */
export function allowedMethodsOf(pathname: string): string[] {
  const path = pathname.replace(/^\/api\/v1/, "").replace(/\/$/, "");
  const segments = path.split("/");
  const methods = ENDPOINTS.filter((endpoint) => {
    const template = endpoint.path.split("/");
    return template.length === segments.length && template.every((part, index) => part.startsWith("{") || part === segments[index]);
  }).map((endpoint) => endpoint.method.toUpperCase());
  // The OpenAPI document itself is the one route it does not describe.
  if (path === "/openapi.json") methods.push("GET");
  return [...new Set(methods)];
}

async function methodNotAllowed(request: Request): Promise<Response> {
  const allowed = allowedMethodsOf(new URL(request.url).pathname);
  const response = apiError(
    "method_not_allowed",
    `${request.method} is not supported here; use ${allowed.join(" or ") || "another route"}. See /api/v1/openapi.json`,
  );
  response.headers.set("allow", allowed.join(", "));
  return response;
}

export {
  methodNotAllowed as GET,
  methodNotAllowed as POST,
  methodNotAllowed as PATCH,
  methodNotAllowed as PUT,
  methodNotAllowed as DELETE,
};
