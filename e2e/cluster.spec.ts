/**
 * Only the cluster project runs this file (playwright.config.ts): its web
 * server enqueues runs, and two worker processes execute them. The run view's
 * journeys prove that events and commands travel; this proves who executes.
 */
import { expect, test } from "@playwright/test";
import { startRunFromPlanPage, storePlan } from "./fixtures/plans";

test("the web server executes nothing: two workers serve the default tag, and the run view names the one that ran the run", async ({
  page,
}) => {
  await page.goto("/settings/workers");
  const workerRows = page.getByRole("table", { name: "Workers" }).getByTestId("worker-row");
  // The page refreshes itself: workers may still be starting when the suite does.
  await expect(workerRows).toHaveCount(2, { timeout: 30_000 });
  await expect(workerRows.filter({ hasText: "not responding" })).toHaveCount(0);
  const workerIds = (await workerRows.locator("td:first-child").allTextContents()).map((text) => text.trim());
  await expect(page.getByRole("table", { name: "Queues" }).getByRole("row").filter({ hasText: "default" })).toBeVisible();

  const planId = await storePlan(page, {
    name: "Executed by a worker",
    nodes: [{ id: "hello", type: "shell", params: { command: "echo hello from a worker" } }],
  });
  await startRunFromPlanPage(page, planId);
  await expect(page.getByTestId("run-status")).toHaveText("succeeded", { timeout: 20_000 });
  await page.reload();
  const placement = (await page.getByTestId("run-placement").textContent()) ?? "";
  expect(workerIds.map((id) => ` · worker ${id}`)).toContain(placement);
});
