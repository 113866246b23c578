/**
 * axe-core on every page, as a signed-in owner would see them (and sign-in as
 * a stranger): no serious or critical violation of WCAG 2 A/AA. The
 * @axe-core/playwright wrapper does not install on Node 20, so axe's own
 * bundle is injected into the page and run there.
 */
import { createRequire } from "node:module";
import { expect, test, type Page } from "@playwright/test";
import type { PlanDocumentInput } from "../lib/plan/schema";
import { signInAsOwner } from "./fixtures/sign-in";

const AXE_SCRIPT = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE_SCRIPT });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: Violation[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
    return result.violations;
  });
  return violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help} at ${violation.nodes
          .slice(0, 3)
          .map((node) => node.target.join(" "))
          .join(", ")}`,
    );
}

const plan: PlanDocumentInput = {
  name: "Accessible plan",
  nodes: [
    { id: "write", type: "file.write", label: "write notes", params: { path: "notes.txt", content: "hi\n" }, position: { x: 0, y: 0 } },
    { id: "check", type: "shell", label: "check", params: { command: "exit 3" }, position: { x: 320, y: 0 } },
    { id: "after", type: "shell", label: "after check", params: { command: "echo never" }, position: { x: 640, y: 0 } },
  ],
  edges: [
    { from: "write", to: "check" },
    { from: "check", to: "after" },
  ],
};

test("no page has a serious or critical accessibility violation", async ({ page, browser, baseURL }) => {
  test.setTimeout(120_000);
  await signInAsOwner(page);
  const origin = new URL(page.url()).origin;
  const created = await page.request.post("/api/v1/plans", { data: { document: plan }, headers: { origin } });
  const planId = ((await created.json()) as { plan: { id: string } }).plan.id;
  const started = await page.request.post("/api/v1/runs", { data: { planId }, headers: { origin } });
  expect(started.status(), await started.text()).toBeLessThan(300);
  const { runId } = (await started.json()) as { runId: string };

  const pages = [
    "/library",
    `/plans/${planId}`,
    "/runs",
    `/runs/${runId}`,
    "/settings/members",
    "/settings/workspaces",
    "/settings/tokens",
    "/settings/teams",
  ];
  const found: Record<string, string[]> = {};
  for (const path of pages) {
    await page.goto(path);
    await page.waitForLoadState("networkidle");
    if (path.startsWith("/runs/")) {
      await expect(page.getByTestId("run-status")).toHaveText("failed", { timeout: 20_000 });
      await page.locator('[data-testid="run-node"][data-node-id="after"]').click();
    }
    const violations = await seriousViolations(page);
    if (violations.length) found[path] = violations;
  }

  const stranger = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  const signIn = await stranger.newPage();
  await signIn.goto("/sign-in");
  const signInViolations = await seriousViolations(signIn);
  if (signInViolations.length) found["/sign-in"] = signInViolations;
  await stranger.close();

  expect(found).toEqual({});
});

test("the run view works from the keyboard: a node opens with Enter, its cause with the link, tabs with arrows", async ({ page }) => {
  await signInAsOwner(page);
  const origin = new URL(page.url()).origin;
  const created = await page.request.post("/api/v1/plans", { data: { document: { ...plan, name: "Keyboard plan" } }, headers: { origin } });
  const planId = ((await created.json()) as { plan: { id: string } }).plan.id;
  await page.goto(`/plans/${planId}`);
  await page.getByRole("button", { name: "▶ Run" }).focus();
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: "Start a run" });
  await dialog.getByRole("combobox").selectOption({ label: "A fresh scratch directory" });
  await dialog.getByRole("button", { name: "Start run" }).focus();
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/runs\/[^/]+$/);
  await expect(page.getByTestId("run-status")).toHaveText("failed", { timeout: 20_000 });

  await page.getByRole("group", { name: "Shell command: after check" }).focus();
  await page.keyboard.press("Enter");
  const panel = page.getByTestId("node-panel");
  await expect(panel.getByRole("heading", { name: "after check" })).toBeVisible();
  await panel.getByTestId("cause-link").first().focus();
  await page.keyboard.press("Enter");
  await expect(panel.getByRole("heading", { name: "check", exact: true })).toBeVisible();
  await panel.getByRole("tab", { name: "Output" }).focus();
  await page.keyboard.press("ArrowRight");
  await expect(panel.getByRole("tab", { name: /Changes/ })).toHaveAttribute("aria-selected", "true");
  await expect(panel.getByRole("tab", { name: /Changes/ })).toBeFocused();
});
