import { listApiTokens } from "@/lib/db/api-tokens";
import { getAppContext } from "@/lib/server/app-context";
import { resolveCaller } from "@/lib/server/caller";
import { TokensView } from "./tokens-view";

export const metadata = { title: "API tokens" };

export default async function TokensPage() {
  const caller = await resolveCaller();
  const { db } = await getAppContext();
  const tokens = await listApiTokens(db.client, caller.userId, caller.teamId);
  return (
    <TokensView
      teamName={caller.team.teamName}
      tokens={tokens.map((token) => ({
        id: token.id,
        name: token.name,
        prefix: token.prefix,
        createdAt: token.createdAt.toISOString(),
        lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
        revoked: token.revokedAt !== null,
      }))}
    />
  );
}
