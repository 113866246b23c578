import { apiError } from "@/lib/server/api-errors";

/** Unknown API paths answer in the API's error shape, not with the HTML 404 page. */
function notFound(): Response {
  return apiError("not_found", "No such endpoint; see /api/v1/openapi.json");
}

export { notFound as GET, notFound as POST, notFound as PATCH, notFound as PUT, notFound as DELETE };
