/**
 * Runs before every request (Next 16's successor of middleware.ts). Two
 * cheap checks that need no database: state-changing requests from another
 * site are refused (CSRF, for server actions and API routes alike), and
 * visitors without a session cookie are sent to sign-in. The real
 * authorisation happens in resolveCaller and defineRoute; this only saves
 * rendering a page for someone who is plainly signed out.
 */
import { NextResponse, type NextRequest } from "next/server";
import { SESSION_COOKIE } from "./lib/auth/session-policy";
import { isSafeMethod, isSameOriginRequest } from "./lib/server/same-origin";
import { SECURITY_HEADERS } from "./lib/server/security-headers";

/** The proxy's own answers (refusals, redirects) carry the same headers as every page. */
function secured(response: NextResponse): NextResponse {
  for (const { key, value } of SECURITY_HEADERS) response.headers.set(key, value);
  return response;
}

function apiRefusal(status: number, code: string, message: string): NextResponse {
  return secured(NextResponse.json({ error: { code, message, issues: [] } }, { status }));
}

/** A path whose percent-encoding does not decode (e.g. `%ZZ`) names nothing; Next would fail on it with a plain-text 500. */
function hasMalformedEncoding(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return false;
  } catch {
    return true;
  }
}

/** Pages a signed-out visitor may see; the API answers 401 JSON itself. */
const PUBLIC_PREFIXES = ["/sign-in", "/setup", "/invite/", "/api/"];

export function proxy(request: NextRequest): NextResponse {
  const { pathname, search } = request.nextUrl;
  if (pathname.startsWith("/api/") && hasMalformedEncoding(pathname)) {
    return apiRefusal(400, "validation", "The path has a malformed percent-encoding");
  }
  if (!isSafeMethod(request.method) && !isSameOriginRequest(request.headers)) {
    return apiRefusal(403, "cross_origin", "Cross-site requests may not change anything");
  }
  const isPublic = PUBLIC_PREFIXES.some((prefix) => pathname === prefix || pathname.startsWith(prefix));
  if (!isPublic && isSafeMethod(request.method) && !request.cookies.has(SESSION_COOKIE)) {
    const signIn = new URL("/sign-in", request.url);
    if (pathname !== "/") signIn.searchParams.set("next", pathname + search);
    return secured(NextResponse.redirect(signIn));
  }
  return NextResponse.next();
}

export const config = {
  // Everything except build assets and files in public/ (names with a dot).
  matcher: ["/((?!_next/|favicon\\.ico|.*\\.[a-z0-9]+$).*)"],
};
