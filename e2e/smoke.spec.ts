import { expect, test } from "@playwright/test";
import { SAMPLE_PLAN_NAME } from "../lib/samples/sample-plan";

test("a fresh install opens on the library with the sample plan", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/library$/);
  await expect(page.getByRole("heading", { name: "Library" })).toBeVisible();
  const row = page.getByTestId("plan-row").filter({ hasText: SAMPLE_PLAN_NAME });
  await expect(row).toBeVisible();
  await expect(row).toContainText("Never run");
  await expect(row).toContainText("sample");

  await row.getByRole("link", { name: SAMPLE_PLAN_NAME }).click();
  await expect(page.getByRole("heading", { name: SAMPLE_PLAN_NAME })).toBeVisible();
  await expect(page.getByTestId("plan-node")).toHaveCount(7);
  await expect(page.getByText("7 operations, 8 dependencies")).toBeVisible();
});

test("the runs page shows a real empty state and navigation works", async ({ page }) => {
  await page.goto("/runs");
  await expect(page.getByRole("heading", { name: "No runs yet" })).toBeVisible();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Library" }).click();
  await expect(page).toHaveURL(/\/library$/);
});

test("an unknown plan is a 404, not an error page", async ({ page }) => {
  const response = await page.goto("/plans/does-not-exist");
  expect(response?.status()).toBe(404);
});
