import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { expect, test, type Page } from "@playwright/test";
import { SAMPLE_PLAN_NAME } from "../lib/samples/sample-plan";
import { signInAsOwner } from "./fixtures/sign-in";

test.use({ viewport: { width: 1500, height: 950 } });

const rows = (page: Page) => page.getByTestId("plan-row");
const row = (page: Page, name: string) => rows(page).filter({ has: page.getByRole("link", { name, exact: true }) });
/** The first-start sample: its imported copies carry other tags. */
const sampleRow = (page: Page) => row(page, SAMPLE_PLAN_NAME).filter({ has: page.getByRole("button", { name: "sample", exact: true }) });

async function download(page: Page, trigger: () => Promise<void>): Promise<{ name: string; bytes: Buffer }> {
  const [file] = await Promise.all([page.waitForEvent("download"), trigger()]);
  const filePath = await file.path();
  return { name: file.suggestedFilename(), bytes: await readFile(filePath) };
}

test("search, tag filter, create, duplicate, archive and restore", async ({ page }) => {
  await signInAsOwner(page);
  await expect(sampleRow(page)).toContainText("Never run");

  await page.getByRole("button", { name: "New plan" }).click();
  const dialog = page.getByRole("dialog", { name: "New plan" });
  await dialog.getByLabel("Name").fill("Nightly cleanup");
  await dialog.getByLabel("Description").fill("Deletes build leftovers every night");
  await dialog.getByLabel("Tags (comma separated)").fill("ops, Nightly");
  await dialog.getByRole("button", { name: "Create and open" }).click();
  await expect(page.getByRole("heading", { name: "Nightly cleanup" })).toBeVisible();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Library" }).click();

  // Search covers name, description and tags; tags are lower-cased.
  const search = page.getByLabel("Search plans");
  await search.fill("leftovers");
  await expect(rows(page)).toHaveCount(1);
  await expect(row(page, "Nightly cleanup")).toContainText("nightly");
  await search.fill("scaffold");
  await expect(rows(page)).toHaveCount(1);
  await expect(row(page, SAMPLE_PLAN_NAME)).toBeVisible();
  await search.fill("no plan is called this");
  await expect(page.getByRole("heading", { name: "No plans match" })).toBeVisible();
  await search.fill("");
  await page.getByLabel("Filter by tag").selectOption("ops");
  await expect(rows(page)).toHaveCount(1);
  await expect(row(page, "Nightly cleanup")).toBeVisible();
  await page.getByLabel("Filter by tag").selectOption("");
  await expect(row(page, SAMPLE_PLAN_NAME)).toBeVisible();

  // Duplicate: a new plan with the same graph and tags.
  await sampleRow(page).getByRole("button", { name: "Duplicate" }).click();
  const copyName = `${SAMPLE_PLAN_NAME} (copy)`;
  await expect(row(page, copyName)).toContainText("sample");
  await row(page, copyName).getByRole("link", { name: copyName }).click();
  await expect(page.getByRole("heading", { name: copyName })).toBeVisible();
  await expect(page.getByTestId("plan-counts")).toHaveText("7 operations, 8 dependencies");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Library" }).click();

  // Archive hides it from the library; the archived view shows it; restore brings it back.
  await row(page, copyName).getByRole("button", { name: "Archive" }).click();
  await expect(row(page, copyName)).toHaveCount(0);
  await page.getByLabel("Archived").check();
  await expect(rows(page)).toHaveCount(1);
  await row(page, copyName).getByRole("button", { name: "Restore" }).click();
  await expect(rows(page)).toHaveCount(0);
  await page.getByLabel("Archived").uncheck();
  await expect(row(page, copyName)).toBeVisible();
});

test("export and import round-trip byte for byte; a broken file is refused with its problems per node and field", async ({ page }) => {
  await signInAsOwner(page);
  const exported = await download(page, () => sampleRow(page).getByRole("link", { name: "Export" }).click());
  expect(exported.name).toBe("scaffold-models-install-and-build-v1.plan.json");
  const exportedPath = test.info().outputPath(exported.name);
  await writeFile(exportedPath, exported.bytes);

  // A broken file: every problem is listed with its node and field, and nothing is imported.
  await page.getByRole("button", { name: "Import JSON…" }).click();
  let dialog = page.getByRole("dialog", { name: "Import a plan" });
  await dialog.getByLabel("Plan JSON file").setInputFiles(fileURLToPath(new URL("./fixtures/invalid-plan.json", import.meta.url)));
  const problems = dialog.getByTestId("import-problem");
  // Fields are named as the inspector names them, never by the document's internal path.
  await expect(problems.filter({ hasText: "write-config" }).filter({ hasText: "path" })).toContainText("leave the workspace root");
  await expect(problems.filter({ hasText: "build" }).filter({ hasText: "command" })).toBeVisible();
  await expect(problems.filter({ hasText: "nodes." })).toHaveCount(0);
  await expect(problems.filter({ hasText: "nodes[" })).toHaveCount(0);
  await expect(problems.filter({ hasText: "mystery" }).filter({ hasText: "type" })).toBeVisible();
  await expect(problems.filter({ hasText: "loop" })).toHaveCount(1);
  await expect(dialog.getByRole("button", { name: "Import" })).toBeDisabled();
  await dialog.getByRole("button", { name: "Cancel" }).click();

  // The exported file imports as a new plan whose export is the same bytes.
  await page.getByRole("button", { name: "Import JSON…" }).click();
  dialog = page.getByRole("dialog", { name: "Import a plan" });
  await dialog.getByLabel("Plan JSON file").setInputFiles(exportedPath);
  await dialog.getByLabel("Tags (comma separated)").fill("imported");
  await expect(dialog.getByRole("status")).toContainText("7 operations, 8 dependencies");
  await dialog.getByRole("button", { name: "Import" }).click();
  // Importing opens the imported plan, laid out automatically (the file has no positions).
  await page.waitForURL(/\/plans\/[^/]+$/);
  await expect(page.getByTestId("plan-node")).toHaveCount(7);
  const boxes = await page.getByTestId("plan-node").evaluateAll((nodes) => nodes.map((node) => node.getBoundingClientRect().left));
  expect(new Set(boxes.map(Math.round)).size).toBeGreaterThan(1);

  await page.goto("/library");
  await page.getByLabel("Filter by tag").selectOption("imported");
  await expect(rows(page)).toHaveCount(1);
  const reExported = await download(page, () => rows(page).getByRole("link", { name: "Export" }).click());
  expect(reExported.bytes.equals(exported.bytes)).toBe(true);
});
