import { listPendingInvites } from "@/lib/db/invites";
import { listMembers } from "@/lib/db/teams";
import { getAppContext } from "@/lib/server/app-context";
import { resolveCaller } from "@/lib/server/caller";
import { roleAllows } from "@/lib/server/permissions";
import { MembersView } from "./members-view";

export const metadata = { title: "Members" };

export default async function MembersPage() {
  const caller = await resolveCaller();
  const { db } = await getAppContext();
  const [members, invites] = await Promise.all([listMembers(db.client, caller.teamId), listPendingInvites(db.client, caller.teamId)]);
  return (
    <MembersView
      canManage={roleAllows(caller.role, "team:manage")}
      callerId={caller.userId}
      members={members.map((member) => ({ userId: member.userId, name: member.name, email: member.email, role: member.role }))}
      invites={invites.map((invite) => ({
        id: invite.id,
        role: invite.role,
        expiresAt: invite.expiresAt.toISOString(),
        createdBy: invite.createdBy.name,
      }))}
    />
  );
}
