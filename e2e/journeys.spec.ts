/**
 * What a new user's walk through the app found broken, one test each: every
 * test here failed before its fix. The run view's failure explanation and
 * retry lineage are covered in run-view.spec.ts.
 */
import { expect, test, type Browser, type Page } from "@playwright/test";
import type { PlanDocumentInput } from "../lib/plan/schema";
import { generatePlan } from "../lib/plan/testing/generate-plan";
import { planNode, selectNode } from "./fixtures/editor";
import { startRunFromPlanPage, storePlan } from "./fixtures/plans";
import { signInAsOwner } from "./fixtures/sign-in";
import { CLIENT_ONLY } from "./fixtures/client-only";

test.use({ viewport: { width: 1440, height: 900 } });

const twoNodes = (name: string): PlanDocumentInput => ({
  name,
  settings: { concurrency: 4 },
  nodes: [
    { id: "write", type: "file.write", label: "write notes", params: { path: "notes.txt", content: "hi\n" }, position: { x: 0, y: 0 } },
    { id: "show", type: "shell", label: "show notes", params: { command: "cat notes.txt" }, position: { x: 320, y: 0 } },
  ],
  edges: [{ from: "write", to: "show" }],
});

/** A second person joins the owner's team with `role` and gets their own signed-in page. */
async function joinTeamAs(owner: Page, browser: Browser, baseURL: string | undefined, role: string): Promise<Page> {
  await owner.goto("/settings/members");
  await owner.getByLabel("Invite role").selectOption(role);
  await owner.getByRole("button", { name: "Create invite link" }).click();
  const link = await owner.getByLabel("Invite link").inputValue();
  const context = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] }, viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.goto(link);
  await page.getByLabel("Your name").fill(`Someone ${role}`);
  await page.getByLabel("Email").fill(`${role}-${Date.now()}@example.test`);
  await page.getByLabel(/^Password/).fill(`${role} password 1`);
  await page.getByRole("button", { name: "Create account and join" }).click();
  await expect(page).toHaveURL(/\/library$/);
  return page;
}

test.beforeEach(async ({ page }) => {
  await signInAsOwner(page);
});

test("the Start-a-run dialog starts from the plan's concurrency", CLIENT_ONLY, async ({ page }) => {
  const planId = await storePlan(page, twoNodes("Concurrency four"));
  await page.goto(`/plans/${planId}`);
  await page.getByRole("button", { name: "▶ Run" }).click();
  await expect(page.getByRole("dialog", { name: "Start a run" }).getByLabel("Concurrency")).toHaveValue("4");
});

test("renaming a node's Id and tabbing to Label keeps the focus, so nothing typed is lost", CLIENT_ONLY, async ({ page }) => {
  const planId = await storePlan(page, twoNodes("Rename then label"));
  await page.goto(`/plans/${planId}`);
  const inspector = await selectNode(page, "show");
  await inspector.getByLabel("Id", { exact: true }).fill("print");
  await page.keyboard.press("Tab");
  await page.keyboard.type("print the notes");
  await expect(inspector.getByLabel("Label")).toHaveValue("print the notes");
  await expect(planNode(page, "print")).toContainText("print the notes");
});

test("a runner's editor is read-only and says why, before any save", async ({ page, browser, baseURL }) => {
  const planId = await storePlan(page, twoNodes("Runner reads"));
  const runner = await joinTeamAs(page, browser, baseURL, "runner");
  await runner.goto(`/plans/${planId}`);
  await expect(runner.getByTestId("read-only-notice")).toContainText("may view and run this plan but not change it");
  await expect(runner.getByRole("button", { name: "Save…" })).toHaveCount(0);
  await expect(runner.getByTestId("palette-shell")).toHaveCount(0);
  await expect(runner.getByRole("button", { name: "▶ Run" })).toBeEnabled();
  const inspector = await selectNode(runner, "show");
  await expect(inspector.getByLabel("Command")).toBeDisabled();
  await runner.keyboard.press("Delete");
  await expect(planNode(runner, "show")).toBeVisible();
  await runner.context().close();
});

test("palette clicks place each new node in free space, not on top of each other or of existing nodes", CLIENT_ONLY, async ({ page }) => {
  const planId = await storePlan(page, twoNodes("Clicks spread out"));
  await page.goto(`/plans/${planId}`);
  await expect(page.getByTestId("plan-node")).toHaveCount(2);
  for (let click = 0; click < 4; click += 1) await page.getByTestId("palette-shell").click();
  await expect(page.getByTestId("plan-node")).toHaveCount(6);
  const boxes = await page
    .getByTestId("plan-node")
    .evaluateAll((nodes) => nodes.map((node) => node.getBoundingClientRect().toJSON() as DOMRect));
  for (let i = 0; i < boxes.length; i += 1) {
    for (let j = i + 1; j < boxes.length; j += 1) {
      const [a, b] = [boxes[i]!, boxes[j]!];
      const overlap = a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
      expect(overlap, `nodes ${i} and ${j} overlap`).toBe(false);
    }
  }
});

test("a small plan's run view is not zoomed past life size and no minimap covers its nodes", CLIENT_ONLY, async ({ page }) => {
  await startRunFromPlanPage(page, await storePlan(page, twoNodes("Small run")));
  await expect(page.getByTestId("run-status")).toHaveText("succeeded", { timeout: 20_000 });
  const scale = await page
    .locator(".run-canvas .react-flow__viewport")
    .evaluate((element) => new DOMMatrix(getComputedStyle(element).transform).a);
  expect(scale).toBeLessThanOrEqual(1);
  await expect(page.locator(".run-canvas .react-flow__minimap")).toHaveCount(0);
  // Edges point at the node that waits.
  await expect(page.locator(".run-canvas .react-flow__edge path[marker-end]")).toHaveCount(1);
});

test("a plan JSON file over 1 MB (10,000 nodes, 15,000 edges) imports in the browser and opens", async ({ page }) => {
  test.setTimeout(180_000);
  const plan = generatePlan({ nodes: 10_000, edges: 15_000, seed: 3, span: 40 });
  const text = JSON.stringify({ ...plan, name: "Ten thousand nodes" });
  expect(text.length).toBeGreaterThan(1024 * 1024);
  await page.getByRole("button", { name: "Import JSON…" }).click();
  const dialog = page.getByRole("dialog", { name: "Import a plan" });
  await dialog
    .getByLabel("Plan JSON file")
    .setInputFiles({ name: "big.plan.json", mimeType: "application/json", buffer: Buffer.from(text) });
  await expect(dialog.getByRole("status")).toContainText("10000 operations, 15000 dependencies", { timeout: 60_000 });
  await dialog.getByRole("button", { name: "Import" }).click();
  await page.waitForURL(/\/plans\/[^/]+$/, { timeout: 120_000 });
  await expect(page.getByTestId("plan-counts")).toHaveText("10000 operations, 15000 dependencies", { timeout: 60_000 });
});

test("polish: singular counts, waves numbered like batch ids, labelled dependencies, arrowheads", CLIENT_ONLY, async ({ page }) => {
  const planId = await storePlan(page, twoNodes("Polish"));
  await page.goto(`/plans/${planId}`);
  await expect(page.getByTestId("plan-counts")).toHaveText("2 operations, 1 dependency");
  await expect(page.locator(".editor-canvas .react-flow__edge path[marker-end]")).toHaveCount(1);
  await page.getByRole("button", { name: "Optimizer overlay" }).click();
  await expect(planNode(page, "write").getByTestId("node-overlay")).toContainText("W0");
  await expect(page.getByTestId("optimizer-panel")).toContainText("w0:");
  await page.getByRole("tab", { name: "Inspector" }).click();
  await page.locator('.react-flow__edge[data-id="write->show"]').click({ force: true });
  await expect(page.getByTestId("edge-summary")).toHaveText("show notes waits for write notes.");
  // The canvas gets most of a 1440 px window.
  const width = (await page.locator(".editor-canvas").boundingBox())?.width ?? 0;
  expect(width).toBeGreaterThan(700);
});

test(
  "polish: settings tabs read as links, the workspace name pattern is a valid regular expression, invite links can be copied",
  CLIENT_ONLY,
  async ({ page }) => {
    await page.goto("/settings/members");
    const tab = page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Workspaces" });
    const color = await tab.evaluate((element) => getComputedStyle(element).color);
    expect(color).toBe("rgb(27, 31, 36)");
    await page.getByRole("button", { name: "Create invite link" }).click();
    await expect(page.getByRole("button", { name: "Copy this link" })).toBeVisible();
    await page.goto("/settings/workspaces");
    const pattern = await page.getByRole("textbox", { name: "New workspace name" }).getAttribute("pattern");
    expect(() => new RegExp(`^(?:${pattern})$`, "v")).not.toThrow();
  },
);

test("polish: sign-in has no sidebar and its heading sits on one line", CLIENT_ONLY, async ({ browser, baseURL }) => {
  const context = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] }, viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.goto("/sign-in");
  await expect(page.getByRole("navigation", { name: "Main" })).toBeHidden();
  const heading = page.getByRole("heading", { level: 1 });
  const lineHeight = await heading.evaluate(
    (element) => parseFloat(getComputedStyle(element).lineHeight) || parseFloat(getComputedStyle(element).fontSize) * 1.3,
  );
  const height = (await heading.boundingBox())?.height ?? 0;
  expect(height).toBeLessThan(lineHeight * 1.6);
  await context.close();
});
