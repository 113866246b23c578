import Link from "next/link";
import { findSessionCaller } from "@/lib/server/caller";
import { signOut } from "../sign-in/actions/sign-out";

/**
 * Who is signed in, in which team and role, with a link to the team
 * switcher, and sign-out (Settings is in the main navigation). For the app shell's sidebar; renders nothing
 * for signed-out visitors (sign-in, setup and invitation pages).
 */
export async function AccountMenu() {
  const caller = await findSessionCaller();
  if (!caller) return null;
  return (
    <div className="account-menu" data-testid="account-menu">
      <div className="account-name">{caller.user.name}</div>
      <Link href="/settings/teams" className="account-team" title="Switch team">
        {caller.team.teamName} · {caller.role}
      </Link>
      <form action={signOut}>
        <button type="submit" className="account-sign-out">
          Sign out
        </button>
      </form>
    </div>
  );
}
