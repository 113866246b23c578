/**
 * Attacks on the edges of the real server over HTTP (roles, sign-in,
 * headers, request shapes, run routes), with real tokens of real roles:
 * each is refused in the API's error shape (or contained), and the server
 * keeps answering a health request in under a second after every one.
 */
import { expect, test, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { SAMPLE_PLAN_NAME } from "../lib/samples/sample-plan";
import { OWNER } from "./auth-fixtures";

async function signedOutPage(browser: Browser, baseURL: string | undefined): Promise<Page> {
  const context = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  return context.newPage();
}

async function createToken(page: Page, name: string): Promise<string> {
  await page.goto("/settings/tokens");
  await page.getByLabel("Token name").fill(name);
  await page.getByRole("button", { name: "Create token" }).click();
  const secret = page.getByLabel("New API token");
  await expect(secret).toBeVisible();
  return secret.inputValue();
}

/** The server still answers, quickly. */
async function expectHealthy(api: APIRequestContext): Promise<void> {
  const started = Date.now();
  const response = await api.get("/api/v1/openapi.json");
  expect(response.status()).toBe(200);
  expect(Date.now() - started).toBeLessThan(1_000);
}

const errorShape = { error: { code: expect.any(String), message: expect.any(String), issues: expect.any(Array) } };

test("a viewer with a real token cannot create a team, in the UI or the API", async ({ page, browser, baseURL, playwright }) => {
  await page.goto("/settings/members");
  await page.getByLabel("Invite role").selectOption("viewer");
  await page.getByRole("button", { name: "Create invite link" }).click();
  const link = await page.getByLabel("Invite link").inputValue();
  const viewer = await signedOutPage(browser, baseURL);
  await viewer.goto(link);
  await viewer.getByLabel("Your name").fill("Attacking Viewer");
  await viewer.getByLabel("Email").fill(`attacker-${Date.now()}@example.test`);
  await viewer.getByLabel(/^Password/).fill("viewer password");
  await viewer.getByRole("button", { name: "Create account and join" }).click();
  await expect(viewer).toHaveURL(/\/library$/);
  const token = await createToken(viewer, "attack");
  const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${token}` } });

  const refused = await api.post("/api/v1/teams", { data: { name: "My own team" } });
  expect(refused.status()).toBe(403);
  expect(await refused.json()).toMatchObject({
    error: { code: "forbidden", message: expect.stringMatching(/Only instance administrators/) },
  });
  expect((await api.patch("/api/v1/instance", { data: { selfServiceTeams: true } })).status()).toBe(403);
  const me = (await (await api.get("/api/v1/me")).json()) as { user: { id: string } };
  expect((await api.patch(`/api/v1/instance/users/${me.user.id}`, { data: { isAdmin: true } })).status()).toBe(403);
  await viewer.goto("/settings/teams");
  await expect(viewer.getByRole("button", { name: "Create team" })).toBeDisabled();
  await expectHealthy(api);
});

test("sign-in: 60 parallel guesses let only the limit through, a forged X-Forwarded-For changes nothing, and next= stays on the site", async ({
  browser,
  baseURL,
  playwright,
}) => {
  // Five real sign-ins (argon2 each) in fresh browsers: slow on a loaded machine.
  test.setTimeout(180_000);
  const attacker = await signedOutPage(browser, baseURL);
  await attacker.goto("/sign-in");
  const victim = `victim-${Date.now()}@example.test`;
  await attacker.getByLabel("Email").fill(victim);
  await attacker.getByLabel("Password").fill("guess 0");
  const [submitted] = await Promise.all([
    attacker.waitForRequest((request) => request.method() === "POST" && request.headers()["next-action"] !== undefined),
    attacker.getByRole("button", { name: "Sign in" }).click(),
  ]);
  await expect(attacker.locator(".form-error")).toHaveText("Wrong email or password");
  // Replays the server action exactly as the browser sent it, 60 times at once.
  const headers = { ...(await submitted.allHeaders()) };
  for (const name of ["host", "content-length", "connection"]) delete headers[name];
  const body = submitted.postDataBuffer() ?? Buffer.alloc(0);
  const api = await playwright.request.newContext({ baseURL });
  const replay = (extra: Record<string, string> = {}) => api.post("/sign-in", { headers: { ...headers, ...extra }, data: body });
  const answers = await Promise.all(Array.from({ length: 60 }, () => replay().then((response) => response.text())));
  const wrong = answers.filter((text) => text.includes("Wrong email or password")).length;
  const limited = answers.filter((text) => text.includes("Too many failed attempts")).length;
  // The browser's own attempt counted already: at most 4 more of 60 reach the password check.
  expect(wrong).toBe(4);
  expect(limited).toBe(56);
  const forged = await replay({ "x-forwarded-for": "198.51.100.7" });
  expect(await forged.text()).toContain("Too many failed attempts");
  await expectHealthy(api);

  // The owner, on another account, still signs in; a crafted next= cannot send them off the site.
  for (const next of ["/%09/evil.example", "//evil.example", "/%5Cevil.example", "https://evil.example"]) {
    const owner = await signedOutPage(browser, baseURL);
    await owner.goto(`/sign-in?next=${next}`);
    await owner.getByLabel("Email").fill(OWNER.email);
    await owner.getByLabel("Password").fill(OWNER.password);
    await owner.getByRole("button", { name: "Sign in" }).click();
    await expect(owner).toHaveURL(`${baseURL}/library`);
    await owner.context().close();
  }
});

test("every response carries the security headers, and the pages work under the CSP", async ({ page, baseURL, playwright }) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  const api = await playwright.request.newContext({ baseURL });
  for (const path of ["/sign-in", "/api/v1/me", "/api/v1/openapi.json", "/favicon.ico", "/library"]) {
    const headers = (await api.get(path, { maxRedirects: 0 })).headers();
    expect(headers["content-security-policy"], path).toContain("frame-ancestors 'none'");
    expect(headers["x-content-type-options"], path).toBe("nosniff");
    expect(headers["referrer-policy"], path).toBe("same-origin");
  }
  await page.goto("/library");
  await page.getByRole("link", { name: SAMPLE_PLAN_NAME }).first().click();
  await expect(page.locator(".react-flow__node").first()).toBeVisible();
  await page.goto("/settings/workspaces");
  await expect(page.getByTestId("workspace-row").first()).toBeVisible();
  await page.goto("/runs");
  expect(violations).toEqual([]);
});

test("bad requests get 413, 415 and 400 in the error shape; every run route answers 404 for a missing run and 409 for a conflict", async ({
  page,
  baseURL,
  playwright,
}) => {
  const token = await createToken(page, "edges");
  const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${token}` } });

  const huge = {
    document: { name: "Huge", nodes: [{ id: "w", type: "file.write", params: { path: "a", content: "x".repeat(12 * 1024 * 1024) } }] },
  };
  const tooLarge = await api.post("/api/v1/plans", { data: huge });
  expect(tooLarge.status()).toBe(413);
  expect(await tooLarge.json()).toMatchObject({ ...errorShape, error: { code: "payload_too_large" } });
  const text = await api.post("/api/v1/plans", {
    headers: { "content-type": "text/plain" },
    data: JSON.stringify({ document: { name: "x", nodes: [] } }),
  });
  expect(text.status()).toBe(415);
  expect(await text.json()).toMatchObject({ error: { code: "unsupported_media_type" } });
  for (const path of ["/api/v1/runs/%ZZ/events", "/api/v1/runs/%ZZ", "/api/v1/plans/%E0%A4%A"]) {
    const malformed = await api.get(path);
    expect(malformed.status(), path).toBe(400);
    expect(await malformed.json()).toMatchObject(errorShape);
  }
  await expectHealthy(api);

  const missing = "c0000000000000000000000000";
  const routes = (runId: string) =>
    [
      ["GET", `/api/v1/runs/${runId}`],
      ["GET", `/api/v1/runs/${runId}/events`],
      ["POST", `/api/v1/runs/${runId}/cancel`],
      ["POST", `/api/v1/runs/${runId}/retry-failed`],
      ["POST", `/api/v1/runs/${runId}/resume`],
      ["POST", `/api/v1/runs/${runId}/undo`],
      ["POST", `/api/v1/runs/${runId}/nodes/slow/retry`],
      ["POST", `/api/v1/runs/${runId}/nodes/slow/cancel`],
      ["GET", `/api/v1/runs/${runId}/nodes/slow/log`],
      ["GET", `/api/v1/runs/${runId}/changes/1`],
    ] as const;
  for (const [method, path] of routes(missing)) {
    const response = await api.fetch(path, { method, ...(method === "POST" ? { data: {} } : {}) });
    expect(response.status(), `${method} ${path}`).toBe(404);
    expect(await response.json()).toMatchObject(errorShape);
  }

  // A running run: repairs that need it finished answer 409.
  const started = await api.post("/api/v1/runs", {
    data: { plan: { name: "Conflicts", nodes: [{ id: "slow", type: "shell", params: { command: "sleep 30" } }] } },
  });
  const { runId } = (await started.json()) as { runId: string };
  const conflicts: Array<readonly [string, string]> = [
    ["POST", `/api/v1/runs/${runId}/retry-failed`],
    ["POST", `/api/v1/runs/${runId}/resume`],
    ["POST", `/api/v1/runs/${runId}/undo`],
    ["POST", `/api/v1/runs/${runId}/nodes/slow/retry`],
  ];
  for (const [method, path] of conflicts) {
    const response = await api.fetch(path, { method, data: {} });
    expect(response.status(), `${method} ${path} while running`).toBe(409);
    expect(await response.json()).toMatchObject({ error: { code: "conflict" } });
  }
  expect((await api.post(`/api/v1/runs/${runId}/cancel`)).status()).toBe(202);
  await api.get(`/api/v1/runs/${runId}/events`);
  // A finished run: cancelling it or one of its nodes, or resuming it, answers 409.
  for (const path of [`/api/v1/runs/${runId}/cancel`, `/api/v1/runs/${runId}/nodes/slow/cancel`, `/api/v1/runs/${runId}/resume`]) {
    const response = await api.post(path);
    expect(response.status(), `${path} after the end`).toBe(409);
  }
  expect((await api.post(`/api/v1/runs/${runId}/nodes/nope/retry`)).status()).toBe(404);
  expect((await api.get(`/api/v1/runs/${runId}/changes/1`)).status()).toBe(404);
  await expectHealthy(api);
});
