/** Input schemas of sign-in, setup, invites and tokens: one per form, shared by the page and its action. */
import * as z from "zod";

/** Client-safe: the forms import these schemas, so nothing here may pull in the password hasher. */
export const MIN_PASSWORD_LENGTH = 8;

export const Email = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: "Enter an email address" }));

export const Password = z
  .string()
  .min(MIN_PASSWORD_LENGTH, { message: `Use at least ${MIN_PASSWORD_LENGTH} characters` })
  .max(200, { message: "Use at most 200 characters" });

export const PersonName = z.string().trim().min(1, { message: "Enter a name" }).max(100);
export const TeamName = z.string().trim().min(1, { message: "Enter a team name" }).max(100);
export const RoleName = z.enum(["owner", "editor", "runner", "viewer"]);
export type RoleName = z.infer<typeof RoleName>;

export const SignInInput = z.object({
  email: Email,
  // Not the password policy: old passwords must keep working if the policy changes.
  password: z.string().min(1, { message: "Enter your password" }).max(200),
  next: z.string().optional(),
});
export type SignInInput = z.infer<typeof SignInInput>;

export const SetupInput = z.object({
  email: Email,
  name: PersonName,
  password: Password,
  teamName: TeamName,
  /** Printed by the server at start; asked only when setting up from another machine. */
  setupCode: z.string().trim().max(64).optional(),
});
export type SetupInput = z.infer<typeof SetupInput>;

export const SignUpWithInviteInput = z.object({ token: z.string().min(1), email: Email, name: PersonName, password: Password });
export type SignUpWithInviteInput = z.infer<typeof SignUpWithInviteInput>;

export const ApiTokenName = z.string().trim().min(1, { message: "Name the token" }).max(100);

const FALLBACK_PATH = "/library";
const PROBE_ORIGIN = "http://batchboard.invalid";

/**
 * Only same-origin relative paths: a `next` pointing elsewhere would make
 * sign-in an open redirect. Browsers drop tabs and newlines from a Location
 * and read `\\` as `/`, so `/\t/evil.example` or `/\\evil` would leave the
 * site: anything holding control characters, spaces or backslashes is
 * refused, and what is left must resolve on our own origin.
 */
export function safeNextPath(next: string | undefined): string {
  if (!next || !next.startsWith("/") || /[\u0000-\u0020\u007f\\]/.test(next) || next.startsWith("//")) return FALLBACK_PATH;
  let url: URL;
  try {
    url = new URL(next, PROBE_ORIGIN);
  } catch {
    return FALLBACK_PATH;
  }
  if (url.origin !== PROBE_ORIGIN) return FALLBACK_PATH;
  return `${url.pathname}${url.search}${url.hash}`;
}
