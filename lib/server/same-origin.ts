/**
 * Cross-site request forgery defence for cookie-authenticated writes: the
 * browser says where a request comes from (Origin, or Sec-Fetch-Site), and
 * only our own origin may change anything. Token-authenticated requests need
 * no check; a forged cross-site request cannot carry the token header.
 */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function isSafeMethod(method: string): boolean {
  return SAFE_METHODS.has(method.toUpperCase());
}

/**
 * True when a state-changing request demonstrably comes from a page of this
 * site. Requests without Origin and Sec-Fetch-Site are not from a browser
 * (curl, scripts), and carry no ambient credentials worth forging.
 */
export function isSameOriginRequest(headers: Headers): boolean {
  const origin = headers.get("origin");
  if (origin && origin !== "null") {
    const host = headers.get("x-forwarded-host") ?? headers.get("host");
    try {
      return host !== null && new URL(origin).host === host;
    } catch {
      return false;
    }
  }
  if (origin === "null") return false;
  const site = headers.get("sec-fetch-site");
  return site === null || site === "same-origin" || site === "none";
}
