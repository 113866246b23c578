/**
 * Refreshes the README's screenshots in docs/screenshots/ from the production
 * build on a fresh SQLite install: the library, the editor with the optimizer
 * overlay, the inspector with a problem, a failed run with its node panel,
 * the failure explanation of a skipped node, and the timeline.
 *
 *   npm run screenshots        (needs `next build` first; SCREENSHOTS_PORT moves the server, default 3290)
 *
 * The e2e suite never writes here: its pictures go to test-results/.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, expect, type Page } from "@playwright/test";
import { CHROMIUM_LAUNCH_OPTIONS } from "../e2e/chromium-launch";

const PORT = Number(process.env.SCREENSHOTS_PORT ?? 3290);
const BASE = `http://127.0.0.1:${PORT}`;
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SHOTS = path.join(ROOT, "docs/screenshots");
const OWNER = { name: "Olivia Owner", email: "olivia@example.test", password: "correct horse battery", team: "Platform team" };

async function waitForServer(): Promise<void> {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${BASE}/sign-in`, { redirect: "manual" })).status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`the server did not answer on ${BASE} within 180 s`);
}

async function setUp(page: Page): Promise<void> {
  await page.goto(`${BASE}/setup`);
  await page.getByLabel("Your name").fill(OWNER.name);
  await page.getByLabel("Email").fill(OWNER.email);
  await page.getByLabel(/^Password/).fill(OWNER.password);
  await page.getByLabel("Team name").fill(OWNER.team);
  await page.getByRole("button", { name: "Create owner account" }).click();
  await page.waitForURL(/\/library$/);
}

async function editorShots(page: Page): Promise<void> {
  await page.getByRole("button", { name: "New plan" }).click();
  const create = page.getByRole("dialog", { name: "New plan" });
  await create.getByLabel("Name").fill("Nightly cleanup");
  await create.getByLabel("Description").fill("Deletes build leftovers and rotates logs every night.");
  await create.getByLabel("Tags (comma separated)").fill("ops, nightly");
  await create.getByRole("button", { name: "Create and open" }).click();
  await expect(page.getByRole("heading", { name: "Nightly cleanup" })).toBeVisible({ timeout: 20_000 });

  await page.goto(`${BASE}/library`);
  await page.getByRole("button", { name: "Import JSON…" }).click();
  const dialog = page.getByRole("dialog", { name: "Import a plan" });
  await dialog.getByLabel("Plan JSON file").setInputFiles(path.join(ROOT, "e2e/fixtures/release-plan.json"));
  await dialog.getByLabel("Tags (comma separated)").fill("release, ci");
  await dialog.getByRole("button", { name: "Import" }).click();
  await page.waitForURL(/\/plans\/[^/]+$/);
  const planUrl = page.url();
  await page.goto(`${BASE}/library`);
  await expect(page.getByTestId("plan-row")).toHaveCount(3);
  await page.screenshot({ path: path.join(SHOTS, "library.png") });

  await page.goto(planUrl);
  await expect(page.getByTestId("plan-node")).toHaveCount(11, { timeout: 20_000 });
  await page.getByRole("button", { name: "Optimizer overlay" }).click();
  await expect(page.getByTestId("hazard").first()).toBeVisible();
  await page.getByRole("button", { name: "Fit View" }).click();
  await page.waitForTimeout(500);
  await page.screenshot({ path: path.join(SHOTS, "editor-optimizer.png") });

  await page.getByRole("button", { name: "Optimizer overlay" }).click();
  await page.locator('[data-testid="plan-node"][data-node-id="serve"] .op-head').click();
  const inspector = page.getByTestId("inspector");
  await inspector.getByLabel("Working directory").fill("../outside");
  await inspector.getByRole("button", { name: "Add variable" }).click();
  await inspector.getByLabel("Environment name 1").fill("PORT");
  await inspector.getByLabel("Environment value 1").fill("3000");
  await expect(inspector.getByTestId("field-error")).toBeVisible();
  await page.screenshot({ path: path.join(SHOTS, "inspector.png") });
}

const FAILING_PLAN = {
  name: "Release checks",
  nodes: [
    {
      id: "write-config",
      type: "file.write",
      label: "write config",
      params: { path: "config.txt", content: "mode=fast\n" },
      position: { x: 0, y: 0 },
    },
    {
      id: "check",
      type: "shell",
      label: "check readiness",
      params: { command: 'cat config.txt; test -f ready.txt || { echo "ready.txt is missing" >&2; exit 3; }' },
      position: { x: 280, y: 0 },
    },
    { id: "build", type: "shell", label: "build", params: { command: "echo building" }, position: { x: 560, y: 0 } },
    { id: "publish", type: "shell", label: "publish", params: { command: "echo publishing" }, position: { x: 840, y: 0 } },
    { id: "lint", type: "shell", label: "lint", params: { command: "echo lint clean" }, position: { x: 280, y: 120 } },
    {
      id: "notes",
      type: "file.write",
      label: "write release notes",
      params: { path: "NOTES.md", content: "# Notes\n" },
      position: { x: 560, y: 120 },
    },
  ],
  edges: [
    { from: "write-config", to: "check" },
    { from: "check", to: "build" },
    { from: "build", to: "publish" },
    { from: "lint", to: "notes" },
  ],
};

async function runShots(page: Page): Promise<void> {
  const created = await page.request.post(`${BASE}/api/v1/plans`, { data: { document: FAILING_PLAN }, headers: { origin: BASE } });
  const { plan } = (await created.json()) as { plan: { id: string } };
  await page.goto(`${BASE}/plans/${plan.id}`);
  await page.getByRole("button", { name: "▶ Run" }).click();
  const dialog = page.getByRole("dialog", { name: "Start a run" });
  await dialog.getByRole("combobox").selectOption({ label: "A fresh scratch directory" });
  await dialog.getByRole("button", { name: "Start run" }).click();
  await page.waitForURL(/\/runs\/[^/]+$/);
  await expect(page.getByTestId("run-status")).toHaveText("failed", { timeout: 30_000 });
  const node = (id: string) => page.locator(`[data-testid="run-node"][data-node-id="${id}"]`);

  await node("check").click();
  await expect(page.getByTestId("node-error")).toBeVisible();
  await page.waitForTimeout(400);
  await page.screenshot({ path: path.join(SHOTS, "run-failed.png"), fullPage: true });

  await node("publish").click();
  await expect(page.getByTestId("skip-cause")).toBeVisible();
  await page.getByTestId("run-legend").locator("summary").click();
  await page.waitForTimeout(400);
  await page.locator(".run-body").screenshot({ path: path.join(SHOTS, "run-failure-explanation.png") });
  await page.locator(".run-timeline-section").screenshot({ path: path.join(SHOTS, "run-timeline.png") });
}

const server = spawn("node_modules/.bin/tsx", ["scripts/e2e-server.ts", "sqlite", String(PORT)], {
  cwd: ROOT,
  stdio: ["ignore", "ignore", "inherit"],
});
try {
  await waitForServer();
  const browser = await chromium.launch(CHROMIUM_LAUNCH_OPTIONS);
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  await setUp(page);
  await editorShots(page);
  await runShots(page);
  await browser.close();
  console.log(`screenshots written to ${path.relative(ROOT, SHOTS)}/`);
} finally {
  server.kill("SIGTERM");
}
