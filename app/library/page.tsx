import { listPlans, listTags } from "@/lib/db/plans";
import { getAppContext } from "@/lib/server/app-context";
import { resolveCaller } from "@/lib/server/caller";
import { LibraryView } from "./library-view";

export const dynamic = "force-dynamic";
export const metadata = { title: "Library" };

/** Renders the first page of the library on the server; the client keeps it fresh through TanStack Query. */
export default async function LibraryPage() {
  const caller = await resolveCaller();
  const { db } = await getAppContext();
  const [plans, tags] = await Promise.all([listPlans(db.client, { teamId: caller.teamId }), listTags(db.client, caller.teamId)]);
  return <LibraryView teamName={caller.team.teamName} initialPlans={plans} initialTags={tags} />;
}
