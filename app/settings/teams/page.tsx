import { getAppContext } from "@/lib/server/app-context";
import { resolveCaller } from "@/lib/server/caller";
import { teamCreationAllowance } from "@/lib/server/instance-admin";
import { TeamsView } from "./teams-view";

export const metadata = { title: "Teams" };

export default async function TeamsPage() {
  const caller = await resolveCaller();
  const { db, env } = await getAppContext();
  const creation = await teamCreationAllowance(db.client, env, caller.userId);
  return (
    <TeamsView
      currentTeamId={caller.teamId}
      teams={caller.teams.map(({ teamId, teamName, role }) => ({ teamId, teamName, role }))}
      creationRefusal={creation.reason}
    />
  );
}
