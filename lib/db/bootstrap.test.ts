import { existsSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PlanDocument } from "../plan/schema";
import { validatePlan } from "../plan/validate-plan";
import { SAMPLE_PLAN_NAME } from "../samples/sample-plan";
import { createTestDatabase, TEST_PROVIDERS, type TestDatabase } from "../testing/test-database";
import { DEFAULT_TEAM, ensureFirstStartData } from "./bootstrap";
import { getPlanVersion } from "./plan-versions";
import { listPlans } from "./plans";

describe.each(TEST_PROVIDERS)("first start on %s", (provider) => {
  let db: TestDatabase;
  let workspaceRoot: string;
  beforeEach(async () => {
    db = await createTestDatabase(provider);
    workspaceRoot = mkdtempSync(path.join(os.tmpdir(), "batchboard-root-"));
  });
  afterEach(async () => {
    await db.destroy();
  });

  it("creates a team, its owner, a workspace directory and a valid sample plan", async () => {
    const created = await ensureFirstStartData(db.client, { root: workspaceRoot, dataDir: path.join(workspaceRoot, "..", "data") });
    expect(created.team.slug).toBe(DEFAULT_TEAM.slug);
    expect(existsSync(created.workspace.directory)).toBe(true);
    expect(created.workspace.directory.startsWith(workspaceRoot)).toBe(true);
    const membership = await db.client.membership.findFirstOrThrow({ where: { teamId: created.team.id, userId: created.owner.id } });
    expect(membership.role).toBe("owner");
    expect((await db.client.user.findUniqueOrThrow({ where: { id: created.owner.id } })).isAdmin).toBe(true);

    const [plan] = await listPlans(db.client, { teamId: created.team.id });
    expect(plan?.name).toBe(SAMPLE_PLAN_NAME);
    const version = await getPlanVersion(db.client, created.team.id, plan?.id ?? "");
    const validation = validatePlan(version.graph);
    expect(validation.ok).toBe(true);
    expect(PlanDocument.parse(version.graph).nodes.map((node) => node.params)).toContainEqual(
      expect.objectContaining({ path: "models/user.js" }),
    );
  });

  it("creates nothing on later starts, even when several processes start at once", async () => {
    const results = await Promise.all(
      [1, 2, 3].map(() => ensureFirstStartData(db.client, { root: workspaceRoot, dataDir: path.join(workspaceRoot, "..", "data") })),
    );
    expect(new Set(results.map((result) => result.team.id)).size).toBe(1);
    await ensureFirstStartData(db.client, { root: workspaceRoot, dataDir: path.join(workspaceRoot, "..", "data") });
    expect(await db.client.team.count()).toBe(1);
    expect(await db.client.plan.count()).toBe(1);
    expect(await db.client.workspace.count()).toBe(1);
  });
});
