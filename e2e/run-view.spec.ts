import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { countProcessesRunning } from "../lib/testing/processes";
import { expect, test, type Page } from "@playwright/test";
import { startRunFromPlanPage, storePlan } from "./fixtures/plans";

const node = (page: Page, id: string) => page.locator(`[data-testid="run-node"][data-node-id="${id}"]`);
const runDirectory = async (page: Page) => (await page.locator(".run-title code").first().textContent()) ?? "";

async function nodeStatuses(page: Page): Promise<Record<string, string>> {
  const entries = await page
    .locator('[data-testid="run-node"]')
    .evaluateAll((elements) => elements.map((element) => [element.getAttribute("data-node-id"), element.getAttribute("data-status")]));
  return Object.fromEntries(entries);
}

/** The run's pictures go with the test's results; the README's are refreshed by `npm run screenshots`. */
function screenshotPath(name: string): string {
  return test.info().outputPath(name);
}

test("a failing node turns red with its stderr and exit code; retry failed reuses the successes", async ({ page }) => {
  const planId = await storePlan(page, {
    name: "Needs a ready file",
    nodes: [
      { id: "write-config", type: "file.write", label: "write config", params: { path: "config.txt", content: "mode=fast\n" } },
      {
        id: "check",
        type: "shell",
        label: "check readiness",
        params: { command: 'cat config.txt; test -f ready.txt || { echo "ready.txt is missing" >&2; exit 3; }' },
      },
      { id: "after-check", type: "shell", label: "after check", params: { command: "echo after" } },
      { id: "independent", type: "shell", label: "independent branch", params: { command: "echo independent branch finished" } },
    ],
    edges: [
      { from: "write-config", to: "check" },
      { from: "check", to: "after-check" },
    ],
  });
  await startRunFromPlanPage(page, planId);

  await expect(page.getByTestId("run-status")).toHaveText("failed", { timeout: 20_000 });
  await expect(node(page, "check")).toHaveAttribute("data-status", "failed");
  await expect(node(page, "after-check")).toHaveAttribute("data-status", "skipped");
  await expect(node(page, "independent")).toHaveAttribute("data-status", "succeeded");
  await expect(node(page, "write-config")).toHaveAttribute("data-status", "succeeded");

  await node(page, "check").click();
  const panel = page.getByTestId("node-panel");
  await expect(panel.getByTestId("node-exit")).toHaveText("code 3");
  await expect(panel.getByTestId("log-view")).toContainText("ready.txt is missing");
  await expect(panel.getByTestId("log-view")).toContainText("mode=fast");
  // The failure box says what happened in words, not the raw code.
  await expect(panel.getByTestId("node-error-title")).toHaveText("The command exited with a non-zero code");
  await expect(panel.getByTestId("node-error")).not.toContainText("exit-code");
  // The panel narrows the canvas; the graph is fitted again, so the selected node stays whole in view.
  await expectInsideCanvas(page, "check");

  // A skipped node names its cause, links to it, and the chain to it is drawn on the graph.
  await node(page, "after-check").click();
  await expect(panel.getByTestId("skip-cause")).toContainText("Skipped because “check readiness” failed");
  await expect(node(page, "after-check").getByTestId("run-node-cause")).toContainText("check readiness");
  await expect(node(page, "check")).toHaveClass(/in-cause-chain/);
  await expect(node(page, "independent")).not.toHaveClass(/in-cause-chain/);
  await expect(page.locator(".react-flow__edge.is-cause")).toHaveCount(1);
  await panel.getByTestId("cause-link").first().click();
  await expect(panel.getByRole("heading", { name: "check readiness" })).toBeVisible();
  // Skipped nodes are on the timeline too, and a legend explains the marks.
  await expect(page.locator('[data-testid="timeline-row"][data-node-id="after-check"]')).toHaveAttribute("data-status", "skipped");
  await page.getByTestId("run-legend").locator("summary").click();
  await expect(page.getByTestId("run-legend")).toContainText("critical path");
  await expect(page.getByTestId("run-legend")).toContainText("batch");
  await page.screenshot({ path: screenshotPath("run-failed.png"), fullPage: true });
  await page.locator(".run-timeline-section").screenshot({ path: screenshotPath("run-timeline.png") });

  // A real change's diff is read from the run's journal when its tab is shown.
  await node(page, "write-config").click();
  await panel.getByRole("tab", { name: /Changes/ }).click();
  await expect(panel.getByTestId("diff-view")).toContainText("+mode=fast");

  // Fix the cause in the workspace, then retry only what failed.
  const directory = await runDirectory(page);
  writeFileSync(path.join(directory, "ready.txt"), "yes\n");
  const failedRunUrl = page.url();
  await page.getByRole("button", { name: "Retry failed" }).click();
  await page.waitForURL((url) => url.href !== failedRunUrl && /\/runs\//.test(url.pathname));
  await expect(page.getByTestId("run-status")).toHaveText("succeeded", { timeout: 20_000 });
  for (const id of ["write-config", "check", "after-check", "independent"])
    await expect(node(page, id)).toHaveAttribute("data-status", "succeeded");
  await expect(node(page, "write-config")).toContainText("(reused)");
  await expect(node(page, "independent")).toContainText("(reused)");
  await expect(node(page, "check")).not.toContainText("(reused)");
  // Attempts continue across the lineage: check's first attempt was in the failed run.
  await expect(node(page, "check")).toContainText("attempt 2");
  await expect(page.getByTestId("run-lineage")).toContainText("retry 1 (this run)");
  await node(page, "independent").click();
  await expect(page.getByTestId("node-status")).toContainText("reused from the earlier run");
  await node(page, "check").click();
  await expect(page.getByTestId("node-attempt")).toContainText("2 (1 in earlier runs of this lineage)");
  const retryUrl = page.url();

  // The runs list shows the retry right under the run it retried.
  await page.goto("/runs");
  const runRows = page.getByTestId("run-row");
  const hrefs = await runRows.evaluateAll((rows) =>
    rows.map((row) => [row.querySelector("a")?.getAttribute("href"), row.getAttribute("data-generation")]),
  );
  const parentIndex = hrefs.findIndex(([href]) => href && failedRunUrl.endsWith(href));
  expect(hrefs[parentIndex + 1]).toEqual([new URL(retryUrl).pathname, "1"]);
});

/** The node's box lies wholly inside the run canvas. */
async function expectInsideCanvas(page: Page, id: string): Promise<void> {
  await expect
    .poll(async () => {
      const canvas = await page.locator(".run-canvas").boundingBox();
      const box = await node(page, id).boundingBox();
      if (!canvas || !box) return false;
      return (
        box.x >= canvas.x &&
        box.y >= canvas.y &&
        box.x + box.width <= canvas.x + canvas.width &&
        box.y + box.height <= canvas.y + canvas.height
      );
    })
    .toBe(true);
}

test("a long command cancelled from the view leaves no process behind", async ({ page }) => {
  // A marker no other process uses (the servers' projects run side by side): a sandboxed command's pid means nothing outside its sandbox.
  const marker = `30${Date.now() % 10000}.${test.info().parallelIndex + 1}`;
  const planId = await storePlan(page, {
    name: "Sleeps for a long time",
    nodes: [{ id: "sleeper", type: "shell", params: { command: `setsid sleep ${marker} & sleep ${marker}` } }],
  });
  await startRunFromPlanPage(page, planId);
  await expect(node(page, "sleeper")).toHaveAttribute("data-status", "running", { timeout: 15_000 });
  await expect.poll(() => countProcessesRunning("sleep", marker)).toBe(2);

  await page.getByRole("button", { name: "Cancel run" }).click();
  await expect(page.getByTestId("run-status")).toHaveText("cancelled", { timeout: 15_000 });
  await expect(node(page, "sleeper")).toHaveAttribute("data-status", "cancelled");
  await expect.poll(() => countProcessesRunning("sleep", marker)).toBe(0);
});

test("reloading mid-run ends on the same graph as a view that watched it all", async ({ page, context }) => {
  const steps = ["a", "b", "c", "d", "e", "f"];
  const planId = await storePlan(page, {
    name: "Slow chain with a branch",
    settings: { concurrency: 2 },
    nodes: [
      ...steps.map((id) => ({ id, type: "shell" as const, params: { command: `sleep 0.4; echo step ${id}` } })),
      { id: "fails", type: "shell", params: { command: "sleep 0.6; echo nope >&2; exit 1" } },
      { id: "after-fail", type: "shell", params: { command: "echo never" } },
    ],
    edges: [...steps.slice(1).map((id, index) => ({ from: steps[index] ?? "a", to: id })), { from: "fails", to: "after-fail" }],
  });
  await startRunFromPlanPage(page, planId);
  const watcher = await context.newPage();
  await watcher.goto(page.url());

  await expect(node(page, "b")).toHaveAttribute("data-status", /running|succeeded/, { timeout: 15_000 });
  await page.reload();
  await expect(page.getByTestId("run-status")).toHaveText("failed", { timeout: 20_000 });
  await expect(watcher.getByTestId("run-status")).toHaveText("failed", { timeout: 20_000 });

  expect(await nodeStatuses(page)).toEqual(await nodeStatuses(watcher));
  expect(await page.getByTestId("run-counts").textContent()).toBe(await watcher.getByTestId("run-counts").textContent());
  expect((await nodeStatuses(page))["after-fail"]).toBe("skipped");
  expect((await nodeStatuses(page)).f).toBe("succeeded");
});

test("a dry run shows the diffs and changes no file", async ({ page }) => {
  const planId = await storePlan(page, {
    name: "Dry run preview",
    nodes: [
      { id: "greet", type: "file.write", params: { path: "greeting.txt", content: "hello from a dry run\n" } },
      { id: "echo", type: "shell", params: { command: "echo this must not run > ran.txt" } },
    ],
    edges: [{ from: "greet", to: "echo" }],
  });
  await startRunFromPlanPage(page, planId, { dryRun: true });
  await expect(page.getByTestId("run-status")).toHaveText("succeeded", { timeout: 20_000 });
  await node(page, "greet").click();
  await page.getByRole("tab", { name: /Changes/ }).click();
  await expect(page.getByTestId("diff-view")).toContainText("+hello from a dry run");
  const directory = await runDirectory(page);
  expect(existsSync(path.join(directory, "greeting.txt"))).toBe(false);
  expect(existsSync(path.join(directory, "ran.txt"))).toBe(false);
});

test("undo puts back every file the run changed: an edited file's earlier content returns, a written one goes", async ({ page }) => {
  const planId = await storePlan(page, {
    name: "Changes to undo",
    nodes: [
      // A command's own writes are not journalled: this is the file's state before any change the run records.
      { id: "draft", type: "shell", params: { command: "printf 'status: draft\\n' > status.txt" } },
      { id: "publish", type: "file.edit", params: { path: "status.txt", edits: [{ find: "draft", replace: "published" }] } },
      { id: "announce", type: "file.write", params: { path: "announcement.txt", content: "out now\n" } },
    ],
    edges: [{ from: "draft", to: "publish" }],
  });
  await startRunFromPlanPage(page, planId);
  await expect(page.getByTestId("run-status")).toHaveText("succeeded", { timeout: 20_000 });
  const directory = await runDirectory(page);
  expect(readFileSync(path.join(directory, "status.txt"), "utf8")).toBe("status: published\n");

  await page.getByRole("button", { name: "Undo file changes" }).click();
  const dialog = page.getByRole("dialog", { name: "Undo file changes" });
  await expect(dialog.getByRole("listitem")).toHaveCount(2);
  for (const file of ["status.txt", "announcement.txt"])
    await expect(dialog.getByRole("listitem").filter({ hasText: file })).toHaveCount(1);
  await dialog.getByRole("button", { name: "Undo changes" }).click();
  const outcome = page.getByRole("alert").filter({ hasText: /^(Restored|Nothing was undone)/ });
  await expect(outcome).toHaveText("Restored 2 file(s).", { timeout: 20_000 });
  expect(readFileSync(path.join(directory, "status.txt"), "utf8")).toBe("status: draft\n");
  expect(existsSync(path.join(directory, "announcement.txt"))).toBe(false);
});
