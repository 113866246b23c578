import { resolveCaller } from "@/lib/server/caller";
import { TeamsView } from "./teams-view";

export const metadata = { title: "Teams" };

export default async function TeamsPage() {
  const caller = await resolveCaller();
  return <TeamsView currentTeamId={caller.teamId} teams={caller.teams.map(({ teamId, teamName, role }) => ({ teamId, teamName, role }))} />;
}
