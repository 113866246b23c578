"use client";

import { createTeam } from "../actions/create-team";
import { switchTeam } from "../actions/switch-team";
import { ActionError, useSettingsAction } from "../use-settings-action";

interface TeamRow {
  teamId: string;
  teamName: string;
  role: string;
}

/**
 * The team switcher: every team the person belongs to, and a new team of
 * their own when they may create one (`creationRefusal` says why not).
 */
export function TeamsView({
  currentTeamId,
  teams,
  creationRefusal,
}: {
  currentTeamId: string;
  teams: TeamRow[];
  creationRefusal: string | null;
}) {
  const switching = useSettingsAction(switchTeam);
  const creating = useSettingsAction(createTeam);
  return (
    <>
      <h2 className="section-title">Your teams</h2>
      <ActionError error={switching.error} />
      <table className="table card">
        <tbody>
          {teams.map((team) => (
            <tr key={team.teamId} data-testid="team-row">
              <td>{team.teamName}</td>
              <td>{team.role}</td>
              <td>
                {team.teamId === currentTeamId ? (
                  <span className="muted">Current team</span>
                ) : (
                  <button
                    type="button"
                    className="button"
                    disabled={!switching.ready}
                    onClick={() => switching.run({ teamId: team.teamId })}
                  >
                    Switch to {team.teamName}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form
        className="card settings-form"
        aria-label="Create a team"
        onSubmit={(event) => {
          event.preventDefault();
          const form = event.currentTarget;
          creating.run({ name: String(new FormData(form).get("name") ?? "") }, () => form.reset());
        }}
      >
        <label>
          New team <input name="name" required placeholder="Team name" disabled={creationRefusal !== null} />
        </label>{" "}
        <button type="submit" className="button button-primary" disabled={creationRefusal !== null || !creating.ready}>
          Create team
        </button>
        {creationRefusal ? (
          <p className="muted" data-testid="team-creation-refusal">
            {creationRefusal}
          </p>
        ) : null}
        <ActionError error={creating.error} />
      </form>
    </>
  );
}
