"use client";

import { useState } from "react";
import { CopyButton } from "@/app/_components/copy-button";
import { formatWhen } from "@/app/_components/format";
import { RoleName } from "@/lib/auth/schemas";
import { changeMemberRole } from "../actions/change-member-role";
import { createInvite } from "../actions/create-invite";
import { removeMember } from "../actions/remove-member";
import { withdrawInvite } from "../actions/withdraw-invite";
import { ActionError, useSettingsAction } from "../use-settings-action";

const ROLE_HELP: Record<RoleName, string> = {
  owner: "manages members and workspaces",
  editor: "creates and edits plans",
  runner: "starts and repairs runs",
  viewer: "reads only",
};

interface Member {
  userId: string;
  name: string;
  email: string;
  role: RoleName;
}
interface PendingInvite {
  id: string;
  role: RoleName;
  expiresAt: string;
  createdBy: string;
}

/** Members and invitations; non-owners see the controls disabled, and the server refuses them anyway. */
export function MembersView({
  canManage,
  callerId,
  members,
  invites,
}: {
  canManage: boolean;
  callerId: string;
  members: Member[];
  invites: PendingInvite[];
}) {
  return (
    <>
      <MemberTable canManage={canManage} callerId={callerId} members={members} />
      <InviteForm canManage={canManage} />
      {invites.length ? <PendingInvites canManage={canManage} invites={invites} /> : null}
    </>
  );
}

function MemberTable({ canManage, callerId, members }: { canManage: boolean; callerId: string; members: Member[] }) {
  const roleChange = useSettingsAction(changeMemberRole);
  const removal = useSettingsAction(removeMember);
  return (
    <>
      <h2 className="section-title">Members</h2>
      <ActionError error={roleChange.error ?? removal.error} />
      <table className="table card">
        <thead>
          <tr>
            <th>Name</th>
            <th>Email</th>
            <th>Role</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {members.map((member) => (
            <tr key={member.userId} data-testid="member-row">
              <td>
                {member.name}
                {member.userId === callerId ? <span className="muted"> (you)</span> : null}
              </td>
              <td>{member.email}</td>
              <td>
                <select
                  aria-label={`Role of ${member.email}`}
                  value={member.role}
                  disabled={!canManage || !roleChange.ready}
                  onChange={(event) => roleChange.run({ userId: member.userId, role: RoleName.parse(event.target.value) })}
                >
                  {RoleName.options.map((role) => (
                    <option key={role} value={role}>
                      {role}
                    </option>
                  ))}
                </select>
              </td>
              <td>
                <button
                  type="button"
                  className="button"
                  disabled={!canManage || !removal.ready}
                  onClick={() => removal.run({ userId: member.userId })}
                >
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function InviteForm({ canManage }: { canManage: boolean }) {
  const inviting = useSettingsAction(createInvite);
  const [link, setLink] = useState<string | null>(null);
  return (
    <>
      <h2 className="section-title">Invite someone</h2>
      <form
        className="card settings-form"
        aria-label="Invite someone"
        onSubmit={(event) => {
          event.preventDefault();
          // Read the select itself: FormData leaves out disabled controls, and the server must still get to refuse.
          const role = RoleName.catch("viewer").parse(event.currentTarget.querySelector("select")?.value);
          inviting.run({ role }, (data) => setLink(new URL(data.path, window.location.origin).toString()));
        }}
      >
        <label>
          Role{" "}
          <select name="role" aria-label="Invite role" defaultValue="editor" disabled={!canManage}>
            {RoleName.options.map((role) => (
              <option key={role} value={role}>
                {role} — {ROLE_HELP[role]}
              </option>
            ))}
          </select>
        </label>{" "}
        <button type="submit" className="button button-primary" disabled={!canManage || !inviting.ready}>
          Create invite link
        </button>
        {canManage ? null : <p className="muted">Only owners can invite people and change roles.</p>}
        <ActionError error={inviting.error} />
        {link ? (
          <p>
            Send this link to the person you invite. It works once and is shown only now:{" "}
            <input readOnly aria-label="Invite link" value={link} size={60} onFocus={(event) => event.target.select()} />{" "}
            <CopyButton text={link} label="Copy this link" />
          </p>
        ) : null}
      </form>
    </>
  );
}

function PendingInvites({ canManage, invites }: { canManage: boolean; invites: PendingInvite[] }) {
  const withdrawal = useSettingsAction(withdrawInvite);
  return (
    <>
      <h2 className="section-title">Pending invitations</h2>
      <ActionError error={withdrawal.error} />
      <table className="table card">
        <tbody>
          {invites.map((invite) => (
            <tr key={invite.id} data-testid="invite-row">
              <td>{invite.role}</td>
              <td className="muted">
                by {invite.createdBy}, expires {formatWhen(new Date(invite.expiresAt))}
              </td>
              <td>
                <button
                  type="button"
                  className="button"
                  disabled={!canManage || !withdrawal.ready}
                  onClick={() => withdrawal.run({ inviteId: invite.id })}
                >
                  Withdraw
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
