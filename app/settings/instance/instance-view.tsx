"use client";

import { changeInstanceAdmin } from "../actions/change-instance-admin";
import { updateInstanceSettings } from "../actions/update-instance-settings";
import { ActionError, useSettingsAction } from "../use-settings-action";

interface InstanceUser {
  id: string;
  name: string;
  email: string;
  isAdmin: boolean;
}

export function InstanceView(props: {
  isAdmin: boolean;
  callerId: string;
  settings: { selfServiceTeams: boolean };
  users: InstanceUser[];
}) {
  const saving = useSettingsAction(updateInstanceSettings);
  const promoting = useSettingsAction(changeInstanceAdmin);
  return (
    <>
      <h2 className="section-title">Instance</h2>
      {props.isAdmin ? null : (
        <p className="muted" data-testid="instance-admins-only">
          Only instance administrators can change these settings. You are not one.
        </p>
      )}
      <div className="card settings-form">
        <label className="check">
          <input
            type="checkbox"
            name="selfServiceTeams"
            checked={props.settings.selfServiceTeams}
            disabled={!props.isAdmin || !saving.ready}
            onChange={(event) => saving.run({ selfServiceTeams: event.currentTarget.checked })}
          />
          Anyone signed in may create teams (self-service teams)
        </label>
        <p className="muted">Off: only administrators create teams.</p>
        <ActionError error={saving.error} />
      </div>
      {props.isAdmin ? (
        <>
          <h3 className="section-title">Administrators</h3>
          <ActionError error={promoting.error} />
          <table className="table card">
            <tbody>
              {props.users.map((user) => (
                <tr key={user.id} data-testid="instance-user-row">
                  <td>{user.name}</td>
                  <td>{user.email}</td>
                  <td>{user.isAdmin ? "administrator" : "—"}</td>
                  <td>
                    <button
                      type="button"
                      className="button"
                      disabled={!promoting.ready}
                      onClick={() => promoting.run({ userId: user.id, isAdmin: !user.isAdmin })}
                    >
                      {user.isAdmin ? (user.id === props.callerId ? "Step down as administrator" : "Demote") : "Make administrator"}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </>
  );
}
