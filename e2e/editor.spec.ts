import { expect, test, type Page } from "@playwright/test";
import { signInAsOwner } from "./fixtures/sign-in";
import { canvas, connect, dropFromPalette, expectCounts, planNode, saveVersion, selectNode } from "./fixtures/editor";
import { CLIENT_ONLY } from "./fixtures/client-only";

// A desktop-sized window, so the canvas has room for the drawn plans.
test.use({ viewport: { width: 1680, height: 1000 } });

async function createPlan(page: Page, name: string): Promise<string> {
  await signInAsOwner(page);
  await page.getByRole("button", { name: "New plan" }).click();
  const dialog = page.getByRole("dialog", { name: "New plan" });
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByLabel("Tags (comma separated)").fill("e2e, editor");
  await dialog.getByRole("button", { name: "Create and open" }).click();
  await page.waitForURL(/\/plans\/[^/]+$/);
  await expect(page.getByRole("heading", { name })).toBeVisible();
  return page.url();
}

/** The saved version's JSON, as the toolbar's export link downloads it. */
async function exportedPlan(
  page: Page,
  version: number,
): Promise<{ settings: Record<string, unknown>; nodes: { id: string; params: Record<string, unknown> }[] }> {
  const href = await page.getByRole("link", { name: `Export v${version}` }).getAttribute("href");
  return (await page.request.get(String(href))).json();
}

test("a plan drawn from scratch: palette, connect, forms, cycle and escaping path reported and fixed, saved and reloaded intact", async ({
  page,
}) => {
  const url = await createPlan(page, "Release notes");
  await expectCounts(page, 0, 0);

  // Three kinds of node, dragged from the palette.
  await dropFromPalette(page, "file.write", 130, 140);
  await dropFromPalette(page, "file.edit", 400, 260);
  await dropFromPalette(page, "shell", 670, 140);
  await expect(page.getByTestId("plan-node")).toHaveCount(3);
  await expectCounts(page, 3, 0);

  await connect(page, "write-1", "edit-1");
  await connect(page, "edit-1", "shell-1");
  await expectCounts(page, 3, 2);

  // Forms: path + content, an ordered multi-edit, a command with an environment variable.
  let inspector = await selectNode(page, "write-1");
  await inspector.getByLabel("Path").fill("notes/RELEASE.md");
  await inspector.getByLabel("Content").fill("# Release\n\nVERSION: next\n");
  inspector = await selectNode(page, "edit-1");
  await inspector.getByLabel("Path").fill("notes/RELEASE.md");
  await inspector.getByLabel("Find #1").fill("VERSION: next");
  await inspector.getByLabel("Replace #1").fill("VERSION: 1.2.0");
  await inspector.getByRole("button", { name: "Add edit" }).click();
  await inspector.getByLabel("Find #2").fill("# Release");
  await inspector.getByLabel("Replace #2").fill("# Release 1.2.0");
  await expect(inspector.getByTestId("edit-item")).toHaveCount(2);
  inspector = await selectNode(page, "shell-1");
  await inspector.getByLabel("Command").fill("cat notes/RELEASE.md");
  await inspector.getByRole("button", { name: "Add variable" }).click();
  await inspector.getByLabel("Environment name 1").fill("LANG");
  await inspector.getByLabel("Environment value 1").fill("C");
  await expect(page.getByTestId("node-problems")).toHaveCount(0);
  await expect(page.getByText("valid", { exact: true })).toBeVisible();

  // A cycle is reported on each of its nodes.
  await connect(page, "shell-1", "write-1");
  for (const id of ["write-1", "edit-1", "shell-1"]) {
    await expect(planNode(page, id).getByTestId("node-problems")).toBeVisible();
  }
  await expect(planNode(page, "write-1").getByTestId("node-problems")).toHaveAttribute("title", /loop/);

  // A path escaping the workspace is reported on its field and its node, while typing.
  inspector = await selectNode(page, "edit-1");
  await inspector.getByLabel("Path").fill("../outside/RELEASE.md");
  const pathError = inspector.getByTestId("field-error").filter({ hasText: "leave the workspace root" });
  await expect(pathError).toBeVisible();
  await expect(inspector.getByTestId("field-error").filter({ hasText: "loop" })).toBeVisible();
  await expect(planNode(page, "edit-1").getByTestId("node-problems")).toHaveText("2");
  await expect(planNode(page, "write-1").getByTestId("node-problems")).toHaveText("1");

  // Fix both: the path, then delete the edge that closes the loop.
  await inspector.getByLabel("Path").fill("notes/RELEASE.md");
  await expect(pathError).toHaveCount(0);
  await page.locator('.react-flow__edge[data-id="shell-1->write-1"]').click({ force: true });
  await expect(page.getByTestId("inspector")).toContainText("waits for");
  await page.keyboard.press("Delete");
  await expectCounts(page, 3, 2);
  await expect(page.getByTestId("node-problems")).toHaveCount(0);

  // Undo brings the edge back, redo removes it again.
  await canvas(page).click({ position: { x: 40, y: 400 } });
  await page.keyboard.press("Control+z");
  await expectCounts(page, 3, 3);
  await page.keyboard.press("Control+Shift+z");
  await expectCounts(page, 3, 2);

  await saveVersion(page, "Release notes pipeline", /Saved v2/);
  await expect(page.getByTestId("unsaved")).toHaveCount(0);

  await page.goto(url);
  await expectCounts(page, 3, 2);
  inspector = await selectNode(page, "edit-1");
  await expect(inspector.getByLabel("Path")).toHaveValue("notes/RELEASE.md");
  await expect(inspector.getByLabel("Replace #2")).toHaveValue("# Release 1.2.0");
  inspector = await selectNode(page, "shell-1");
  await expect(inspector.getByLabel("Environment value 1")).toHaveValue("C");
  inspector = await selectNode(page, "write-1");
  await expect(inspector.getByLabel("Content")).toHaveValue("# Release\n\nVERSION: next\n");
});

test("copy/paste, edge conditions, history with diff and restore, and a stale save is refused", async ({ page, context }) => {
  const url = await createPlan(page, "Edit history");
  await dropFromPalette(page, "file.write", 150, 150);
  await dropFromPalette(page, "shell", 450, 150);
  await connect(page, "write-1", "shell-1");
  let inspector = await selectNode(page, "write-1");
  await inspector.getByLabel("Path").fill("a.txt");
  inspector = await selectNode(page, "shell-1");
  await inspector.getByLabel("Command").fill("cat a.txt");
  await saveVersion(page, "Two nodes", /Saved v2/);

  // Copy/paste a node, then switch the edge's condition from success to failure.
  await selectNode(page, "write-1");
  await page.locator(".react-flow__pane").focus();
  await page.keyboard.press("Control+c");
  await page.keyboard.press("Control+v");
  await expect(planNode(page, "write-1-copy-1")).toBeVisible();
  await expectCounts(page, 3, 1);
  // Success edges show their label once selected; clicking it switches the condition.
  const condition = page.locator('[data-testid="edge-condition"][data-edge-id="write-1->shell-1"]');
  await expect(condition).toHaveCount(0);
  await page.locator('.react-flow__edge[data-id="write-1->shell-1"]').click({ force: true });
  await expect(condition).toHaveText("success");
  await condition.click();
  await expect(condition).toHaveText("failure");
  await saveVersion(page, "Copy and failure edge", /Saved v3/);

  // History: the diff between v2 and v3 names the added node and the changed edge.
  await page.getByRole("tab", { name: "History" }).click();
  await expect(page.getByTestId("version-row")).toHaveCount(3);
  await page.getByLabel("Compare from version").selectOption("2");
  await page.getByLabel("Compare to version").selectOption("3");
  const diff = page.getByTestId("version-diff");
  await expect(diff.getByTestId("diff-added")).toContainText("write-1-copy-1");
  await expect(diff.getByTestId("diff-changed")).toContainText("write-1->shell-1: when");
  await page.getByLabel("Compare from version").selectOption("1");
  await expect(diff.getByTestId("diff-added")).toHaveCount(4); // three nodes and one edge

  // Restore v2 as v4: the pasted node is gone again.
  await page.getByTestId("version-row").filter({ hasText: "v2" }).getByRole("button", { name: "Restore" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Restored v2 as v4" })).toBeVisible();
  await expectCounts(page, 2, 1);

  // Two people on the same version: the second save is told a newer version exists.
  const other = await context.newPage();
  await other.goto(url);
  await expectCounts(other, 2, 1);
  inspector = await selectNode(other, "shell-1");
  await inspector.getByLabel("Command").fill("cat a.txt && echo other");
  await saveVersion(other, "Someone else", /Saved v5/);
  inspector = await selectNode(page, "shell-1");
  await inspector.getByLabel("Command").fill("cat a.txt && echo mine");
  await page.getByRole("button", { name: "Save…" }).click();
  await page.getByLabel("Version message").fill("Mine");
  await page.getByRole("dialog").getByRole("button", { name: "Save version" }).click();
  await expect(page.getByTestId("stale-warning")).toContainText("A newer version (5)");
  await other.reload();
  inspector = await selectNode(other, "shell-1");
  await expect(inspector.getByLabel("Command")).toHaveValue("cat a.txt && echo other");

  // Leaving with unsaved changes asks first.
  page.once("dialog", (dialog) => void dialog.dismiss());
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Library" }).click();
  await expect(page).toHaveURL(url);
});

test(
  "multi-select with Ctrl+click, copy and paste both with their edge, delete them with the keyboard, undo",
  CLIENT_ONLY,
  async ({ page }) => {
    await createPlan(page, "Multi-select");
    await dropFromPalette(page, "file.read", 150, 150);
    await dropFromPalette(page, "search", 450, 150);
    await connect(page, "read-1", "search-1");
    await expectCounts(page, 2, 1);

    await selectNode(page, "read-1");
    await planNode(page, "search-1")
      .locator(".op-head")
      .click({ modifiers: ["Control"] });
    await expect(page.getByTestId("inspector")).toHaveCount(0);
    await expect(page.getByText("2 nodes selected.")).toBeVisible();
    await page.keyboard.press("Control+c");
    await page.keyboard.press("Control+v");
    await expectCounts(page, 4, 2);
    await expect(planNode(page, "read-1-copy-1")).toBeVisible();
    await expect(planNode(page, "search-1-copy-1")).toBeVisible();

    // The pasted pair is selected: Delete removes both and their edge, Ctrl+Z brings them back.
    await page.keyboard.press("Delete");
    await expectCounts(page, 2, 1);
    await page.keyboard.press("Control+z");
    await expectCounts(page, 4, 2);
  },
);

test(
  "a search made a check, a read's paths typed line by line and the retry delay are saved as the plan format says",
  CLIENT_ONLY,
  async ({ page }) => {
    await createPlan(page, "Rename check");
    await dropFromPalette(page, "file.read", 150, 150);
    await dropFromPalette(page, "search", 450, 150);

    // Typed key by key: a line break at the end of the text stays until the next line is written.
    let inspector = await selectNode(page, "read-1");
    await inspector.getByLabel("Paths (one per line)").pressSequentially("README.md\nsrc/index.ts");
    await expect(inspector.getByLabel("Paths (one per line)")).toHaveValue("README.md\nsrc/index.ts");

    inspector = await selectNode(page, "search-1");
    await inspector.getByLabel("Patterns (one per line)").pressSequentially("oldName\nold_name");
    await expect(inspector.getByLabel("Patterns (one per line)")).toHaveValue("oldName\nold_name");

    // A count range the schema refuses is reported on the field, then made a "none" check.
    await inspector.getByLabel("Check", { exact: true }).selectOption("count");
    await inspector.getByLabel("At least (matching lines per pattern)").fill("3");
    await inspector.getByLabel("At most (matching lines per pattern)").fill("1");
    await expect(inspector.getByTestId("field-error").filter({ hasText: "min cannot exceed max" })).toBeVisible();
    await inspector.getByLabel("Check", { exact: true }).selectOption("none");
    await expect(inspector.getByLabel("At most (matching lines per pattern)")).toHaveCount(0);
    await inspector.getByLabel("Hidden files too").check();
    await expect(page.getByTestId("node-problems")).toHaveCount(0);
    await expect(page.getByText("valid", { exact: true })).toBeVisible();

    // The plan's own settings, with nothing selected.
    await canvas(page).click({ position: { x: 40, y: 400 } });
    await page.getByLabel("First retry delay (ms)").fill("250");

    await saveVersion(page, "Check the rename", /Saved v2/);
    const plan = await exportedPlan(page, 2);
    expect(plan.settings).toMatchObject({ retryBackoffMs: 250 });
    const paramsOf = (id: string) => plan.nodes.find((node) => node.id === id)?.params;
    expect(paramsOf("read-1")).toMatchObject({ paths: ["README.md", "src/index.ts"] });
    expect(paramsOf("search-1")).toMatchObject({ patterns: ["oldName", "old_name"], expect: "none", hidden: true });
    expect(paramsOf("search-1")).not.toHaveProperty("pattern");

    // One line left: stored as `pattern` again.
    inspector = await selectNode(page, "search-1");
    await inspector.getByLabel("Patterns (one per line)").fill("oldName");
    await saveVersion(page, "One pattern", /Saved v3/);
    const searchNode = (await exportedPlan(page, 3)).nodes.find((node) => node.id === "search-1");
    expect(searchNode?.params).toMatchObject({ pattern: "oldName" });
    expect(searchNode?.params).not.toHaveProperty("patterns");
  },
);

test("the optimizer overlay shows waves, batches, the critical path and a hazard with a one-click fix", CLIENT_ONLY, async ({ page }) => {
  await createPlan(page, "Overlay");
  await dropFromPalette(page, "file.write", 120, 80);
  await dropFromPalette(page, "file.write", 120, 260);
  await dropFromPalette(page, "shell", 460, 170);
  for (const id of ["write-1", "write-2"]) {
    const inspector = await selectNode(page, id);
    await inspector.getByLabel("Path").fill("out/config.json");
    await connect(page, id, "shell-1");
  }
  const inspector = await selectNode(page, "shell-1");
  await inspector.getByLabel("Command").fill("cat out/config.json");

  await page.getByRole("button", { name: "Optimizer overlay" }).click();
  const panel = page.getByTestId("optimizer-panel");
  await expect(panel).toContainText("2 waves");
  await expect(page.getByTestId("batch-group")).toHaveCount(1);
  await expect(page.getByTestId("node-overlay")).toHaveCount(3);
  await expect(planNode(page, "shell-1").getByTestId("node-overlay")).toContainText("critical");
  const hazard = panel.getByTestId("hazard").filter({ hasText: "unordered-writes" });
  await expect(hazard).toBeVisible();
  await expect(planNode(page, "write-1").getByTestId("node-hazard")).toBeVisible();
  await expect(planNode(page, "write-2").getByTestId("node-hazard")).toBeVisible();
  await hazard.getByRole("button", { name: /^Fix: add/ }).click();
  await expect(panel.getByTestId("hazard").filter({ hasText: "unordered-writes" })).toHaveCount(0);
  await expectCounts(page, 3, 3);
  await expect(panel).toContainText("3 waves");
});
