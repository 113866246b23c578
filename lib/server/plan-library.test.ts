import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DomainError, StaleVersionError } from "../db/errors";
import { getPlanVersion, listPlanVersions } from "../db/plan-versions";
import { getPlan } from "../db/plans";
import { samplePlan } from "../samples/sample-plan";
import { createTeamWithMember } from "../testing/fixtures";
import { createTestDatabase, TEST_PROVIDERS, type TestDatabase } from "../testing/test-database";
import { createBlankPlan, duplicatePlan, exportVersion, importPlan, restoreVersion, savePlan } from "./plan-library";
import { serializePlanJson } from "../library/plan-json";

describe.each(TEST_PROVIDERS)("plan library services on %s", (provider) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(provider);
  });
  afterAll(async () => {
    await db.destroy();
  });

  async function caller() {
    const { team, user } = await createTeamWithMember(db.client);
    return { teamId: team.id, userId: user.id };
  }

  it("exports a version as the exact bytes import accepts: export → import → export is byte-identical", async () => {
    const owner = await caller();
    const first = await importPlan(db.client, owner, { text: JSON.stringify(samplePlan), tags: ["sample"] });
    const exported = await exportVersion(db.client, owner.teamId, first.planId);
    const again = await importPlan(db.client, owner, { text: exported.text, tags: [] });
    const reExported = await exportVersion(db.client, owner.teamId, again.planId, 1);
    expect(reExported.text).toBe(exported.text);
    expect(exported.fileName).toBe("scaffold-models-install-and-build-v1.plan.json");
    expect(exported.text.endsWith("}\n")).toBe(true);
  });

  it("refuses to import a plan with problems, naming the node and field, and stores nothing", async () => {
    const owner = await caller();
    const text = serializePlanJson({ name: "Bad", nodes: [{ id: "w", type: "file.write", params: { path: "../x", content: "" } }] });
    const failure = await importPlan(db.client, owner, { text, tags: [] }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DomainError);
    expect((failure as DomainError).code).toBe("invalid");
    expect((failure as DomainError).fieldErrors["nodes.0.params.path"]?.[0]).toMatch(/^Node "w": .*leave the workspace root/);
    await expect(importPlan(db.client, owner, { text: "{ not json", tags: [] })).rejects.toThrow(/not valid JSON/);
  });

  it("saves a plan with problems only as a draft, and a stale save never overwrites a newer version", async () => {
    const owner = await caller();
    const { planId } = await createBlankPlan(db.client, owner, { name: "Edits", description: "", tags: [] });
    const broken = { name: "Edits", nodes: [{ id: "a", type: "shell", params: { command: "" } }], edges: [] };
    await expect(
      savePlan(db.client, owner, { planId, baseVersion: 1, document: broken, message: "x", asDraft: false }),
    ).rejects.toMatchObject({ code: "invalid" });
    const draft = await savePlan(db.client, owner, { planId, baseVersion: 1, document: broken, message: "wip", asDraft: true });
    expect(draft).toMatchObject({ number: 2, isDraft: true, problemCount: 1 });

    const fixed = { name: "Edits renamed", nodes: [{ id: "a", type: "shell", params: { command: "true" } }], edges: [] };
    const mine = await savePlan(db.client, owner, { planId, baseVersion: 2, document: fixed, message: "fixed", asDraft: false });
    expect(mine).toMatchObject({ number: 3, isDraft: false });
    expect((await getPlan(db.client, owner.teamId, planId)).name).toBe("Edits renamed");

    const theirs = savePlan(db.client, owner, { planId, baseVersion: 2, document: fixed, message: "late", asDraft: false });
    await expect(theirs).rejects.toBeInstanceOf(StaleVersionError);
    expect((await listPlanVersions(db.client, owner.teamId, planId)).map((version) => version.number)).toEqual([3, 2, 1]);

    const restored = await restoreVersion(db.client, owner, { planId, number: 1, baseVersion: 3 });
    expect(restored.number).toBe(4);
    expect((await getPlanVersion(db.client, owner.teamId, planId, 4)).message).toBe("Restored v1");
  });

  it("duplicates the newest version under a free name with the same tags", async () => {
    const owner = await caller();
    const { planId } = await importPlan(db.client, owner, { text: JSON.stringify(samplePlan), tags: ["sample"] });
    const copy = await duplicatePlan(db.client, owner, planId);
    const second = await duplicatePlan(db.client, owner, planId);
    expect(copy.name).toBe(`${samplePlan.name} (copy)`);
    expect(second.name).toBe(`${samplePlan.name} (copy 2)`);
    const version = await getPlanVersion(db.client, owner.teamId, copy.planId);
    expect((version.graph as { name: string }).name).toBe(copy.name);
    expect((await getPlan(db.client, owner.teamId, copy.planId)).tags).toEqual(["sample"]);
  });
});
