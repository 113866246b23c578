import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, TEST_PROVIDERS, type TestDatabase } from "../testing/test-database";
import { createTeamWithMember } from "../testing/fixtures";
import { ConflictError, NotFoundError, StaleVersionError } from "./errors";
import { getPlanVersion, listPlanVersions, savePlanVersion } from "./plan-versions";
import { createPlan, getPlan, listPlans, listTags, setPlanArchived, updatePlanDetails } from "./plans";
import { registerWorkspace } from "./workspaces";
import os from "node:os";
import path from "node:path";
import { mkdtempSync } from "node:fs";

const document = (name: string) => ({ name, nodes: [], edges: [] });

describe.each(TEST_PROVIDERS)("plan repositories on %s", (provider) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(provider);
  });
  afterAll(async () => {
    await db.destroy();
  });

  async function newPlan(teamId: string, ownerId: string, name: string, tags: string[] = []) {
    return createPlan(
      db.client,
      { teamId, ownerId, name, description: `About ${name}`, tags },
      { document: document(name), graphHash: `hash-${name}`, authorId: ownerId },
    );
  }

  it("creates a plan with version 1 and lists it with owner and tags", async () => {
    const { team, user } = await createTeamWithMember(db.client);
    const { plan, version } = await newPlan(team.id, user.id, "Deploy Site", ["Web", "web ", "ops"]);
    expect(version.number).toBe(1);
    const [listed] = await listPlans(db.client, { teamId: team.id });
    expect(listed).toMatchObject({
      id: plan.id,
      name: "Deploy Site",
      tags: ["ops", "web"],
      ownerName: user.name,
      latestVersion: 1,
      lastRun: null,
    });
    expect(await listTags(db.client, team.id)).toEqual(["ops", "web"]);
  });

  it("searches name, description and tags case-insensitively and filters by tag", async () => {
    const { team, user } = await createTeamWithMember(db.client);
    await newPlan(team.id, user.id, "Migrate Database", ["db"]);
    await newPlan(team.id, user.id, "Rotate logs", ["ops"]);
    const names = async (query: { search?: string; tag?: string }) =>
      (await listPlans(db.client, { teamId: team.id, ...query })).map((plan) => plan.name);
    expect(await names({ search: "DATABASE" })).toEqual(["Migrate Database"]);
    expect(await names({ search: "about rotate" })).toEqual(["Rotate logs"]);
    expect(await names({ tag: "OPS" })).toEqual(["Rotate logs"]);
    expect(await names({ search: "nothing like this" })).toEqual([]);
  });

  it("keeps tags and search in step when details change", async () => {
    const { team, user } = await createTeamWithMember(db.client);
    const { plan } = await newPlan(team.id, user.id, "Old name", ["old"]);
    await updatePlanDetails(db.client, team.id, plan.id, { name: "New name", description: "", tags: ["new"] });
    expect((await listPlans(db.client, { teamId: team.id, tag: "new" })).map((p) => p.name)).toEqual(["New name"]);
    expect(await listPlans(db.client, { teamId: team.id, tag: "old" })).toEqual([]);
    expect(await listPlans(db.client, { teamId: team.id, search: "old name" })).toEqual([]);
  });

  it("archives and restores", async () => {
    const { team, user } = await createTeamWithMember(db.client);
    const { plan } = await newPlan(team.id, user.id, "Short lived");
    await setPlanArchived(db.client, team.id, plan.id, true);
    expect(await listPlans(db.client, { teamId: team.id })).toEqual([]);
    expect((await listPlans(db.client, { teamId: team.id, archived: true })).map((p) => p.id)).toEqual([plan.id]);
    await setPlanArchived(db.client, team.id, plan.id, false);
    expect((await listPlans(db.client, { teamId: team.id })).map((p) => p.id)).toEqual([plan.id]);
  });

  it("adds immutable versions and refuses a save on a stale base", async () => {
    const { team, user } = await createTeamWithMember(db.client);
    const { plan } = await newPlan(team.id, user.id, "Shared");
    const target = { teamId: team.id, planId: plan.id, baseVersion: 1 };
    const draft = (message: string) => ({ document: document(message), graphHash: message, authorId: user.id, message });
    const [first, second] = await Promise.allSettled([
      savePlanVersion(db.client, target, draft("alice")),
      savePlanVersion(db.client, target, draft("bob")),
    ]);
    const outcomes = [first, second].map((outcome) => outcome.status).sort();
    expect(outcomes).toEqual(["fulfilled", "rejected"]);
    const rejected = [first, second].find((outcome) => outcome.status === "rejected");
    expect(rejected?.status === "rejected" && rejected.reason).toBeInstanceOf(StaleVersionError);
    expect((await listPlanVersions(db.client, team.id, plan.id)).map((v) => v.number)).toEqual([2, 1]);
    expect((await getPlanVersion(db.client, team.id, plan.id, 1)).graph).toEqual(document("Shared"));
    expect((await getPlan(db.client, team.id, plan.id)).latestVersion).toBe(2);
  });

  it("treats another team's plan as missing", async () => {
    const owner = await createTeamWithMember(db.client);
    const stranger = await createTeamWithMember(db.client);
    const { plan } = await newPlan(owner.team.id, owner.user.id, "Private");
    await expect(getPlan(db.client, stranger.team.id, plan.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(getPlanVersion(db.client, stranger.team.id, plan.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(setPlanArchived(db.client, stranger.team.id, plan.id, true)).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      savePlanVersion(
        db.client,
        { teamId: stranger.team.id, planId: plan.id, baseVersion: 1 },
        {
          document: document("x"),
          graphHash: "x",
          authorId: stranger.user.id,
        },
      ),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect(await listPlans(db.client, { teamId: stranger.team.id })).toEqual([]);
    expect((await getPlan(db.client, owner.team.id, plan.id)).archivedAt).toBeNull();
  });

  it("shows the last run of each plan", async () => {
    const { team, user } = await createTeamWithMember(db.client);
    const { plan, version } = await newPlan(team.id, user.id, "Ran twice");
    const run = (status: "failed" | "succeeded", createdAt: Date) =>
      db.client.run.create({
        data: {
          teamId: team.id,
          planId: plan.id,
          planVersionId: version.id,
          directory: "/tmp",
          status,
          settings: {},
          startedById: user.id,
          createdAt,
        },
      });
    await run("failed", new Date("2026-01-01T00:00:00Z"));
    const latest = await run("succeeded", new Date("2026-01-02T00:00:00Z"));
    const [listed] = await listPlans(db.client, { teamId: team.id });
    expect(listed?.lastRun).toMatchObject({ id: latest.id, status: "succeeded" });
  });

  it("translates a duplicate workspace name into a ConflictError", async () => {
    const { team } = await createTeamWithMember(db.client);
    const root = mkdtempSync(path.join(os.tmpdir(), "batchboard-ws-"));
    const placement = { root, dataDir: path.join(root, "..", "data") };
    const register = (name: string) => registerWorkspace(db.client, team.id, { name, source: { kind: "new" } }, placement);
    await register("site");
    await expect(register("site")).rejects.toBeInstanceOf(ConflictError);
    await expect(register("../escape")).rejects.toMatchObject({ code: "invalid", fieldErrors: { name: expect.any(Array) } });
  });
});
