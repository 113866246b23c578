import { expect, test as setup } from "@playwright/test";
import { OWNER, storageStatePath } from "./auth-fixtures";

/**
 * Runs first against each fresh server: the first visit of a fresh install
 * shows the setup screen; completing it signs the owner in, and that signed-in
 * state is what every other spec starts from.
 */
setup("a fresh install's first visit shows setup, which creates the owner and signs them in", async ({ page }, testInfo) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/setup$/);
  await expect(page.getByRole("heading", { name: "Welcome to Batchboard" })).toBeVisible();
  await page.getByLabel("Your name").fill(OWNER.name);
  await page.getByLabel("Email").fill(OWNER.email);
  await page.getByLabel(/^Password/).fill(OWNER.password);
  await page.getByLabel("Team name").fill(OWNER.teamName);
  await page.getByRole("button", { name: "Create owner account" }).click();
  await expect(page).toHaveURL(/\/library$/);

  // Setup happens once: afterwards the screen sends people to sign-in.
  await page.goto("/setup");
  await expect(page).toHaveURL(/\/library$/);
  await page.context().storageState({ path: storageStatePath(testInfo.project.name.replace(/^setup-/, "")) });
});
