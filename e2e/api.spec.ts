import { expect, test } from "@playwright/test";

/** Creates an API token through the settings screen, where its secret is shown once. */
async function createToken(page: import("@playwright/test").Page, name: string): Promise<string> {
  await page.goto("/settings/tokens");
  await page.getByLabel("Token name").fill(name);
  await page.getByRole("button", { name: "Create token" }).click();
  const secret = page.getByLabel("New API token");
  await expect(secret).toBeVisible();
  return secret.inputValue();
}

test("a token drives the plan API; revoking it stops it at once", async ({ page, playwright, baseURL }) => {
  const token = await createToken(page, "e2e script");
  expect(token).toMatch(/^bbt_/);
  const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${token}` } });

  const me = await api.get("/api/v1/me");
  expect(await me.json()).toMatchObject({ role: "owner", user: { email: "olivia@example.test" } });

  const document = { name: "From the API", nodes: [{ id: "hello", type: "file.write", params: { path: "hello.txt", content: "hi" } }] };
  const created = await api.post("/api/v1/plans", { data: { document, tags: ["api"] } });
  expect(created.status()).toBe(201);
  const { plan } = (await created.json()) as { plan: { id: string; latestVersion: number } };

  const saved = await api.post(`/api/v1/plans/${plan.id}/versions`, {
    data: { baseVersion: 1, document: { ...document, description: "second" }, message: "Describe" },
  });
  expect(saved.status()).toBe(201);
  const stale = await api.post(`/api/v1/plans/${plan.id}/versions`, { data: { baseVersion: 1, document } });
  expect(stale.status()).toBe(409);
  expect(await stale.json()).toMatchObject({ error: { code: "stale", latestVersion: 2 } });

  const versions = (await (await api.get(`/api/v1/plans/${plan.id}/versions`)).json()) as { versions: { number: number }[] };
  expect(versions.versions.map((version) => version.number)).toEqual([2, 1]);
  const first = await api.get(`/api/v1/plans/${plan.id}/versions/1`);
  expect(await first.json()).toMatchObject({ version: { number: 1, document: { name: "From the API" } } });

  const invalid = await api.post("/api/v1/plans", {
    data: { document: { name: "Bad", nodes: [{ id: "x", type: "file.write", params: { path: "../out", content: "" } }] } },
  });
  expect(invalid.status()).toBe(422);
  expect(await invalid.json()).toMatchObject({
    error: { code: "invalid", issues: [expect.objectContaining({ path: "document.nodes.0.params.path" })] },
  });

  const missing = await api.get("/api/v1/plans/not-a-real-id");
  expect(missing.status()).toBe(404);
  expect((await api.get("/api/v1/no-such-endpoint")).status()).toBe(404);

  // The token list shows it was used; revoking it is immediate.
  await page.goto("/settings/tokens");
  const row = page.getByTestId("token-row").filter({ hasText: "e2e script" });
  await expect(row).not.toContainText("Never");
  await row.getByRole("button", { name: "Revoke" }).click();
  await expect(row).toContainText("Revoked");
  const afterRevoke = await api.get("/api/v1/me");
  expect(afterRevoke.status()).toBe(401);
  await api.dispose();
});

test("the OpenAPI document is served and generated from the schemas", async ({ request }) => {
  const response = await request.get("/api/v1/openapi.json");
  expect(response.status()).toBe(200);
  const document = (await response.json()) as { openapi: string; paths: Record<string, Record<string, { requestBody?: unknown }>> };
  expect(document.openapi).toBe("3.1.0");
  expect(document.paths["/api/v1/plans"]?.post?.requestBody).toBeTruthy();
  expect(Object.keys(document.paths)).toContain("/api/v1/plans/{planId}/versions/{number}");
});

test("an inline plan sent with a token runs; its events stream to completion; per-node results are read back", async ({
  page,
  playwright,
  baseURL,
}) => {
  // Runs go to a team of their own, so the main team stays free of runs for the other specs.
  await page.goto("/settings/teams");
  await page.getByLabel("New team").fill("API runs");
  await page.getByRole("button", { name: "Create team" }).click();
  await expect(page.getByTestId("current-team")).toHaveText("API runs");
  const token = await createToken(page, "e2e runner");
  await page.goto("/settings/teams");
  await page.getByRole("button", { name: "Switch to My team" }).click();
  await expect(page.getByTestId("current-team")).toHaveText("My team");
  const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${token}` } });
  const plan = {
    name: "E2E inline run",
    nodes: [
      { id: "write", type: "file.write", params: { path: "greeting.txt", content: "hello\n" } },
      { id: "check", type: "shell", params: { command: "grep -c hello greeting.txt" } },
    ],
    edges: [{ from: "write", to: "check" }],
  };
  const started = await api.post("/api/v1/runs", { data: { plan } });
  expect(started.status()).toBe(202);
  const { runId } = (await started.json()) as { runId: string };

  // The server ends the stream at the run's final status, so reading the whole body is reading to completion.
  const stream = await api.get(`/api/v1/runs/${runId}/events`);
  expect(stream.headers()["content-type"]).toContain("text/event-stream");
  const events = (await stream.text())
    .split("\n")
    .filter((line) => line.startsWith("data: "))
    .map((line) => JSON.parse(line.slice(6)) as { type: string; status?: string; nodeId?: string; seq: number });
  expect(events.at(-1)).toMatchObject({ type: "run.status", status: "succeeded" });
  expect(events.some((event) => event.nodeId === "check")).toBe(true);

  await expect
    .poll(async () => ((await (await api.get(`/api/v1/runs/${runId}`)).json()) as { run: { status: string } }).run.status)
    .toBe("succeeded");
  const detail = (await (await api.get(`/api/v1/runs/${runId}`)).json()) as {
    run: { nodes: { nodeId: string; status: string; exitCode: number | null }[] };
  };
  expect(detail.run.nodes).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ nodeId: "write", status: "succeeded" }),
      expect.objectContaining({ nodeId: "check", status: "succeeded", exitCode: 0 }),
    ]),
  );
  await api.dispose();
});
