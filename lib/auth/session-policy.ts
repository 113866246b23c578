/** How long credentials live; one place so the cookie, the database row and the docs agree. */
export const SESSION_COOKIE = "batchboard_session";
export const SESSION_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;
export const INVITE_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;
/** lastUsedAt is a hint for people, not an audit log: write it at most once a minute per token. */
export const API_TOKEN_TOUCH_INTERVAL_MS = 60 * 1000;
/** Failed sign-ins allowed per email (and per client address) before a lockout. */
export const SIGN_IN_MAX_FAILURES = 5;
export const SIGN_IN_WINDOW_MS = 15 * 60 * 1000;
