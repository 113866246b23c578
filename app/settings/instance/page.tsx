import { isInstanceAdmin, listInstanceUsers } from "@/lib/db/instance";
import { getAppContext } from "@/lib/server/app-context";
import { resolveCaller } from "@/lib/server/caller";
import { readInstanceSettings } from "@/lib/server/instance-admin";
import { InstanceView } from "./instance-view";

export const metadata = { title: "Instance" };

/** Instance administration: self-service teams and who the administrators are. Read-only for everyone else. */
export default async function InstancePage() {
  const caller = await resolveCaller();
  const { db, env } = await getAppContext();
  const [isAdmin, settings] = await Promise.all([isInstanceAdmin(db.client, caller.userId), readInstanceSettings(db.client, env)]);
  const users = isAdmin ? await listInstanceUsers(db.client) : [];
  return <InstanceView isAdmin={isAdmin} callerId={caller.userId} settings={settings} users={users} />;
}
