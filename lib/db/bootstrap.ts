/**
 * What a newcomer needs on first start: a team with an owner, a default
 * workspace directory and a sample plan, so the library is not empty.
 * Idempotent: later starts return what exists and create nothing.
 */
import { hashPlan } from "../plan/plan-hash";
import { PlanDocument } from "../plan/schema";
import { samplePlan } from "../samples/sample-plan";
import type { DbClient } from "./client";
import { ConflictError } from "./errors";
import { inTransaction } from "./transaction";
import { createPlan } from "./plans";
import { registerWorkspace, type WorkspacePlacement } from "./workspaces";

export const DEFAULT_TEAM = { name: "My team", slug: "my-team" } as const;
/** The setup owner is the instance's first administrator. */
export const DEFAULT_OWNER = { email: "owner@batchboard.local", name: "Owner", isAdmin: true } as const;
export const DEFAULT_WORKSPACE_NAME = "default";

export interface FirstStartData {
  team: { id: string; name: string; slug: string };
  owner: { id: string; email: string; name: string };
  workspace: { id: string; name: string; directory: string };
}

async function findExisting(client: DbClient): Promise<FirstStartData | null> {
  const membership = await client.membership.findFirst({
    where: { role: "owner" },
    orderBy: { createdAt: "asc" },
    include: { team: { include: { workspaces: { orderBy: { createdAt: "asc" }, take: 1 } } }, user: true },
  });
  const workspace = membership?.team.workspaces[0];
  if (!membership || !workspace) return null;
  return { team: membership.team, owner: membership.user, workspace };
}

export async function ensureFirstStartData(client: DbClient, placement: WorkspacePlacement): Promise<FirstStartData> {
  const existing = await findExisting(client);
  if (existing) return existing;
  try {
    // One transaction: a crash half-way leaves nothing to trip over on the next start.
    return await inTransaction(client, async (tx) => {
      const team = await tx.team.create({ data: DEFAULT_TEAM });
      const owner = await tx.user.upsert({ where: { email: DEFAULT_OWNER.email }, create: DEFAULT_OWNER, update: {} });
      await tx.membership.create({ data: { teamId: team.id, userId: owner.id, role: "owner" } });
      const workspace = await registerWorkspace(tx, team.id, { name: DEFAULT_WORKSPACE_NAME, source: { kind: "new" } }, placement);
      const document = PlanDocument.parse(samplePlan);
      await createPlan(
        tx,
        { teamId: team.id, ownerId: owner.id, name: document.name, description: document.description, tags: ["sample"] },
        { document, graphHash: hashPlan(document), authorId: owner.id, message: "Sample plan" },
      );
      return { team, owner, workspace };
    });
  } catch (error) {
    // Another process (a worker, the CLI) started at the same moment and created them first.
    if (error instanceof ConflictError) {
      const created = await findExisting(client);
      if (created) return created;
    }
    throw error;
  }
}
