/** Input schemas of sign-in, setup, invites and tokens: one per form, shared by the page and its action. */
import { z } from "zod";

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

export const SetupInput = z.object({ email: Email, name: PersonName, password: Password, teamName: TeamName });
export type SetupInput = z.infer<typeof SetupInput>;

export const SignUpWithInviteInput = z.object({ token: z.string().min(1), email: Email, name: PersonName, password: Password });
export type SignUpWithInviteInput = z.infer<typeof SignUpWithInviteInput>;

export const ApiTokenName = z.string().trim().min(1, { message: "Name the token" }).max(100);

/** Only same-site paths: a `next` pointing elsewhere would make sign-in an open redirect. */
export function safeNextPath(next: string | undefined): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return "/library";
  return next;
}
