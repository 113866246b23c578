import { expect, test, type Browser, type Page } from "@playwright/test";
import { SAMPLE_PLAN_NAME } from "../lib/samples/sample-plan";
import { OWNER } from "./auth-fixtures";

/** A browser with nobody signed in. */
async function signedOutPage(browser: Browser, baseURL: string | undefined): Promise<Page> {
  const context = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  return context.newPage();
}

async function createInviteLink(page: Page, role: string): Promise<string> {
  await page.goto("/settings/members");
  await page.getByLabel("Invite role").selectOption(role);
  await page.getByRole("button", { name: "Create invite link" }).click();
  const link = page.getByLabel("Invite link");
  await expect(link).toBeVisible();
  return link.inputValue();
}

const planBody = { document: { name: "Forbidden plan", nodes: [], edges: [] } };

test("an invited viewer signs in, sees what they may not do disabled, and the server refuses it anyway", async ({
  page,
  browser,
  baseURL,
}) => {
  const link = await createInviteLink(page, "viewer");
  await expect(page.getByTestId("invite-row")).toHaveCount(1);

  const viewer = await signedOutPage(browser, baseURL);
  await viewer.goto(link);
  await expect(viewer.getByRole("heading", { name: `Join ${OWNER.teamName}` })).toBeVisible();
  await expect(viewer.getByTestId("invite-role")).toHaveText("viewer");
  const email = `viewer-${Date.now()}@example.test`;
  await viewer.getByLabel("Your name").fill("Vic Viewer");
  await viewer.getByLabel("Email").fill(email);
  await viewer.getByLabel(/^Password/).fill("viewer password");
  await viewer.getByRole("button", { name: "Create account and join" }).click();
  await expect(viewer).toHaveURL(/\/library$/);

  // The link worked once.
  const late = await signedOutPage(browser, baseURL);
  await late.goto(link);
  await expect(late.getByRole("heading", { name: "This invitation link is no longer valid" })).toBeVisible();

  // Sign out and back in with the new password, as the second person would the next day.
  await viewer.goto("/settings");
  await viewer.getByRole("button", { name: "Sign out" }).click();
  await expect(viewer).toHaveURL(/\/sign-in$/);
  await viewer.getByLabel("Email").fill(email);
  await viewer.getByLabel("Password").fill("viewer password");
  await viewer.getByRole("button", { name: "Sign in" }).click();
  await expect(viewer).toHaveURL(/\/library$/);

  await viewer.goto("/settings/members");
  await expect(viewer.getByTestId("current-role")).toHaveText("viewer");
  const inviteButton = viewer.getByRole("button", { name: "Create invite link" });
  await expect(inviteButton).toBeDisabled();
  await expect(viewer.getByLabel(`Role of ${OWNER.email}`)).toBeDisabled();
  await expect(viewer.getByRole("button", { name: "Remove" }).first()).toBeDisabled();

  // Re-enable the button in the page, as a curious user could: the server action still refuses.
  await inviteButton.evaluate((button) => button.removeAttribute("disabled"));
  await inviteButton.click();
  await expect(viewer.locator(".form-error")).toContainText("Your role (viewer) may not do this");
  await expect(viewer.getByLabel("Invite link")).toHaveCount(0);

  await viewer.goto("/settings/workspaces");
  await expect(viewer.getByRole("button", { name: "Register workspace" })).toBeDisabled();

  // Only instance administrators create teams: the control says why, and the API refuses too.
  await viewer.goto("/settings/teams");
  await expect(viewer.getByRole("button", { name: "Create team" })).toBeDisabled();
  await expect(viewer.getByTestId("team-creation-refusal")).toContainText("Only instance administrators can create teams");
  const teamRefused = await viewer.request.post("/api/v1/teams", { data: { name: "Viewer's team" } });
  expect(teamRefused.status()).toBe(403);
  expect(await teamRefused.json()).toMatchObject({ error: { code: "forbidden" } });

  // The JSON API refuses a save with the viewer's session too.
  const refused = await viewer.request.post("/api/v1/plans", { data: planBody });
  expect(refused.status()).toBe(403);
  expect(await refused.json()).toMatchObject({ error: { code: "forbidden" } });

  // The sample plan: the viewer reads it, sees Run disabled, and a run request is refused.
  const { plans } = (await (await viewer.request.get("/api/v1/plans")).json()) as { plans: { id: string; name: string }[] };
  const sample = plans.find((plan) => plan.name === SAMPLE_PLAN_NAME);
  expect(sample).toBeTruthy();
  await viewer.goto(`/plans/${sample?.id}`);
  await expect(viewer.getByRole("heading", { name: SAMPLE_PLAN_NAME })).toBeVisible();
  await expect(viewer.getByRole("button", { name: "▶ Run" })).toBeDisabled();
  const runRefused = await viewer.request.post("/api/v1/runs", { data: { planId: sample?.id } });
  expect(runRefused.status()).toBe(403);

  // The owner sees the new member and promotes them to runner; still no plan edits.
  await page.goto("/settings/members");
  await expect(page.getByTestId("member-row").filter({ hasText: email })).toBeVisible();
  await page.getByLabel(`Role of ${email}`).selectOption("runner");
  await expect(page.getByLabel(`Role of ${email}`)).toHaveValue("runner");
  await viewer.goto("/settings/members");
  await expect(viewer.getByTestId("current-role")).toHaveText("runner");
  expect((await viewer.request.post("/api/v1/plans", { data: planBody })).status()).toBe(403);

  // Removed members lose access at once.
  await page.getByTestId("member-row").filter({ hasText: email }).getByRole("button", { name: "Remove" }).click();
  await expect(page.getByTestId("member-row").filter({ hasText: email })).toHaveCount(0);
  await viewer.goto("/library");
  await expect(viewer).toHaveURL(/\/sign-in/);

  await viewer.context().close();
  await late.context().close();
});

test("sign-out ends the session; wrong passwords are rate limited, even before the right one", async ({ browser, baseURL }) => {
  const visitor = await signedOutPage(browser, baseURL);
  await visitor.goto("/library");
  await expect(visitor).toHaveURL(/\/sign-in\?next=%2Flibrary$/);
  await visitor.getByLabel("Email").fill(OWNER.email);
  await visitor.getByLabel("Password").fill(OWNER.password);
  await visitor.getByRole("button", { name: "Sign in" }).click();
  await expect(visitor).toHaveURL(/\/library$/);
  await visitor.goto("/settings");
  await expect(visitor.getByTestId("signed-in-as")).toHaveText(OWNER.email);
  const cookies = await visitor.context().cookies();
  const session = cookies.find((cookie) => cookie.name === "batchboard_session");
  expect(session).toMatchObject({ httpOnly: true, sameSite: "Lax" });
  await visitor.getByRole("button", { name: "Sign out" }).click();
  await expect(visitor).toHaveURL(/\/sign-in$/);

  // The old cookie value is useless after sign-out.
  const replay = await browser.newContext({ baseURL, storageState: { cookies: session ? [session] : [], origins: [] } });
  const replayed = await replay.request.get("/api/v1/me");
  expect(replayed.status()).toBe(401);
  await replay.close();

  // Five wrong passwords for one email, then even the right one is refused for a while.
  const target = `locked-${Date.now()}@example.test`;
  for (let attempt = 0; attempt < 5; attempt += 1) {
    await visitor.getByLabel("Email").fill(target);
    await visitor.getByLabel("Password").fill(`wrong ${attempt}`);
    await visitor.getByRole("button", { name: "Sign in" }).click();
    // React clears the form once the action has answered; the message alone may still be the previous attempt's.
    await expect(visitor.getByLabel("Password")).toHaveValue("");
    await expect(visitor.locator(".form-error")).toHaveText("Wrong email or password");
  }
  await visitor.getByLabel("Email").fill(target);
  await visitor.getByLabel("Password").fill("anything");
  await visitor.getByRole("button", { name: "Sign in" }).click();
  await expect(visitor.locator(".form-error")).toContainText("Too many failed attempts");
  await visitor.context().close();
});

test("cross-site posts to a server action or an API route are refused", async ({ page }) => {
  await page.goto("/settings/members");
  const forgedAction = await page.request.post("/settings/members", {
    headers: {
      origin: "https://evil.example",
      "next-action": "0000000000000000000000000000000000000000",
      "content-type": "text/plain;charset=UTF-8",
    },
    data: JSON.stringify([{ role: "owner" }]),
  });
  expect(forgedAction.status()).toBe(403);
  const forgedApi = await page.request.post("/api/v1/plans", { headers: { origin: "https://evil.example" }, data: planBody });
  expect(forgedApi.status()).toBe(403);
  expect(await forgedApi.json()).toMatchObject({ error: { code: "cross_origin" } });
  // The same request from our own origin is accepted.
  const sameOrigin = await page.request.post("/api/v1/plans", {
    headers: { origin: new URL(page.url()).origin },
    data: {
      document: { name: "Posted from the app", nodes: [{ id: "hello", type: "shell", params: { command: "echo hello" } }], edges: [] },
    },
  });
  expect(sameOrigin.status()).toBe(201);
});

test("teams: a person creates a second team, switches between teams, and each team sees only its plans", async ({ page }) => {
  await page.goto("/settings/teams");
  await page.getByLabel("New team").fill("Side project");
  await page.getByRole("button", { name: "Create team" }).click();
  await expect(page.getByTestId("current-team")).toHaveText("Side project");
  const sidePlans = await (await page.request.get("/api/v1/plans")).json();
  expect(sidePlans).toEqual({ plans: [] });
  await page.getByRole("button", { name: `Switch to ${OWNER.teamName}` }).click();
  await expect(page.getByTestId("current-team")).toHaveText(OWNER.teamName);
  const mainPlans = (await (await page.request.get("/api/v1/plans")).json()) as { plans: unknown[] };
  expect(mainPlans.plans.length).toBeGreaterThan(0);
});
