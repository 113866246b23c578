import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTeamWithMember } from "../testing/fixtures";
import { createTestDatabase, TEST_PROVIDERS, type TestDatabase } from "../testing/test-database";
import { recordPlanByName } from "./plan-by-name";
import { createPlan } from "./plans";

const document = (name: string, variant: string) => ({
  name,
  nodes: [{ id: variant, type: "file.write", params: { path: "x", content: variant } }],
  edges: [],
});

describe.each(TEST_PROVIDERS)("recording a plan by name on %s, 50 at once", (provider) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(provider);
  });
  afterAll(async () => {
    await db.destroy();
  });

  function record(teamId: string, authorId: string, name: string, variant: string) {
    return recordPlanByName(db.client, {
      teamId,
      authorId,
      name,
      tags: ["api"],
      document: document(name, variant),
      graphHash: `hash-${variant}`,
      message: "Run from the API",
    });
  }

  it("a new name makes one plan with one version", async () => {
    const { team, user } = await createTeamWithMember(db.client);
    const recorded = await Promise.all(Array.from({ length: 50 }, () => record(team.id, user.id, "fresh", "a")));
    expect(new Set(recorded.map((entry) => entry.planId)).size).toBe(1);
    expect(new Set(recorded.map((entry) => entry.planVersionId)).size).toBe(1);
    expect(await db.client.plan.count({ where: { teamId: team.id, name: "fresh" } })).toBe(1);
    expect(await db.client.planVersion.count({ where: { plan: { teamId: team.id } } })).toBe(1);
  });

  it("an existing name gets one version per distinct document, and none is refused as stale", async () => {
    const { team, user } = await createTeamWithMember(db.client);
    const { plan } = await createPlan(
      db.client,
      { teamId: team.id, ownerId: user.id, name: "existing" },
      { document: document("existing", "a"), graphHash: "hash-a", authorId: user.id },
    );
    const variants = ["a", "b", "c"];
    const recorded = await Promise.all(
      Array.from({ length: 50 }, (_, index) => record(team.id, user.id, "existing", variants[index % 3] as string)),
    );
    expect(new Set(recorded.map((entry) => entry.planId))).toEqual(new Set([plan.id]));
    const versions = await db.client.planVersion.findMany({ where: { planId: plan.id }, orderBy: { number: "asc" } });
    expect(versions.map((version) => version.number)).toEqual([1, 2, 3]);
    expect(new Set(versions.map((version) => version.graphHash))).toEqual(new Set(["hash-a", "hash-b", "hash-c"]));
    expect((await db.client.plan.findUniqueOrThrow({ where: { id: plan.id } })).latestVersion).toBe(3);
  });
});
