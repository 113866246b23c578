import Link from "next/link";
import { hashSecret } from "@/lib/auth/secret-tokens";
import { findUsableInvite } from "@/lib/db/invites";
import { getAppContext } from "@/lib/server/app-context";
import { findSessionCaller } from "@/lib/server/caller";
import { JoinFromInviteForm, SignUpFromInviteForm } from "./invite-forms";
import "../../_components/auth.css";

export const dynamic = "force-dynamic";
export const metadata = { title: "Invitation" };

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const { db } = await getAppContext();
  const invite = await findUsableInvite(db.client, hashSecret(token));
  if (!invite) {
    return (
      <section className="auth-page">
        <header className="page-head">
          <h1>This invitation link is no longer valid</h1>
          <p>It was used, withdrawn or has expired. Ask the team&apos;s owner for a new one.</p>
        </header>
      </section>
    );
  }
  const caller = await findSessionCaller();
  const alreadyMember = caller?.teams.some((team) => team.teamId === invite.teamId) ?? false;
  return (
    <section className="auth-page">
      <header className="page-head">
        <h1>Join {invite.team.name}</h1>
        <p>
          {invite.createdBy.name} invited you as <strong data-testid="invite-role">{invite.role}</strong>.
        </p>
      </header>
      {alreadyMember ? (
        <p className="card">You are already a member of this team.</p>
      ) : caller ? (
        <JoinFromInviteForm token={token} teamName={invite.team.name} />
      ) : (
        <>
          <SignUpFromInviteForm token={token} />
          <p className="muted">
            Already have an account? <Link href={`/sign-in?next=/invite/${encodeURIComponent(token)}`}>Sign in</Link>, then open this link
            again.
          </p>
        </>
      )}
    </section>
  );
}
