import Link from "next/link";
import { findSessionCaller } from "@/lib/server/caller";
import { signOut } from "../sign-in/sign-out-action";

/**
 * Who is signed in, in which team and role, with links to settings and the
 * team switcher, and sign-out. For the app shell's sidebar; renders nothing
 * for signed-out visitors (sign-in, setup and invitation pages).
 */
export async function AccountMenu() {
  const caller = await findSessionCaller();
  if (!caller) return null;
  return (
    <div className="account-menu" data-testid="account-menu">
      <div>{caller.user.name}</div>
      <Link href="/settings/teams" className="muted" title="Switch team">
        {caller.team.teamName} · {caller.role}
      </Link>
      <div>
        <Link href="/settings" className="nav-link">
          Settings
        </Link>
        <form action={signOut} style={{ display: "inline" }}>
          <button type="submit" className="button">
            Sign out
          </button>
        </form>
      </div>
    </div>
  );
}
