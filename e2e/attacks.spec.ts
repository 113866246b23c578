import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { expect, test, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { countProcessesRunning } from "../lib/testing/processes";
import { dataDirectoryOf } from "./auth-fixtures";

/**
 * A member with the runner role, over HTTP with their own API token, runs
 * shell nodes that try what an attacker would. Each is contained with a clear
 * node error, the server keeps answering, and nothing outside the run's
 * directory changes.
 */
async function runnerToken(page: Page, browser: Browser, baseURL: string | undefined): Promise<string> {
  await page.goto("/settings/members");
  await page.getByLabel("Invite role").selectOption("runner");
  await page.getByRole("button", { name: "Create invite link" }).click();
  const link = await page.getByLabel("Invite link").inputValue();
  const context = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  const runner = await context.newPage();
  await runner.goto(link);
  await runner.getByLabel("Your name").fill("Rita Runner");
  await runner.getByLabel("Email").fill(`runner-${Date.now()}@example.test`);
  await runner.getByLabel(/^Password/).fill("runner password");
  await runner.getByRole("button", { name: "Create account and join" }).click();
  await expect(runner).toHaveURL(/\/library$/);
  await runner.goto("/settings/tokens");
  await runner.getByLabel("Token name").fill("attacker");
  await runner.getByRole("button", { name: "Create token" }).click();
  const token = await runner.getByLabel("New API token").inputValue();
  await context.close();
  return token;
}

/** Polls the API while `work` runs; returns the slowest answer. */
async function slowestAnswerDuring(api: APIRequestContext, work: Promise<unknown>): Promise<number> {
  let done = false;
  void work.finally(() => (done = true));
  let slowest = 0;
  while (!done) {
    const started = performance.now();
    expect((await api.get("/api/v1/me")).status()).toBe(200);
    slowest = Math.max(slowest, performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return slowest;
}

type NodeResult = {
  nodeId: string;
  status: string;
  startedAt: string | null;
  finishedAt: string | null;
  error: { code: string; message: string } | null;
  result: { stdout?: { tail: string } } | null;
};

test("a runner's shell nodes cannot reach the server's data, other workspaces, its processes or its health", async ({
  page,
  browser,
  baseURL,
  playwright,
}) => {
  test.setTimeout(180_000);
  const dataDir = dataDirectoryOf(baseURL);
  const database = path.join(dataDir, "batchboard.db");
  // The owner's default workspace, made at first start under the workspace root.
  const workspaceRoot = path.join(dataDir, "workspaces");
  const otherWorkspace = readdirSync(workspaceRoot, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name === "default")
    .map((entry) => path.join(entry.parentPath, entry.name))[0] as string;
  expect(existsSync(otherWorkspace)).toBe(true);
  const token = await runnerToken(page, browser, baseURL);
  const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${token}` } });
  expect(await (await api.get("/api/v1/me")).json()).toMatchObject({ role: "runner" });

  const marker = `9${Date.now() % 10000}.25`;
  const contained = (id: string, command: string) => ({ id, type: "shell", params: { command } });
  const plan = {
    name: "Attacks",
    settings: { concurrency: 8 },
    nodes: [
      // These succeed only when the target cannot be seen.
      contained("read-database", `test ! -e '${database}' && ! ls '${dataDir}/batchboard.db'* 2>/dev/null`),
      contained("read-other-workspace", `test ! -e '${otherWorkspace}/.'`),
      contained(
        "read-server-environment",
        "! cat /proc/[0-9]*/environ 2>/dev/null | tr '\\0' '\\n' | grep -q '^BATCHBOARD_\\|^DATABASE_URL\\|^PORT='",
      ),
      // By process name: bubblewrap's own command line, visible inside, names paths the sandbox binds.
      contained(
        "see-server-processes",
        "! cat /proc/[0-9]*/comm 2>/dev/null | grep -q '^node$\\|^next-server\\|^postgres\\|^redis-server'",
      ),
      contained("write-outside", `mkdir -p '${otherWorkspace}' && echo pwned > '${otherWorkspace}/pwned'; ! echo pwned > /etc/pwned`),
      // These fail, each with an error that says why.
      {
        id: "setsid-escape",
        type: "shell",
        timeoutMs: 1000,
        params: { command: `setsid sleep ${marker} > /dev/null 2>&1 & sleep ${marker}` },
      },
      { id: "fork-bomb", type: "shell", timeoutMs: 3000, params: { command: "bomb() { bomb | bomb & }; bomb; sleep 30" } },
      contained("allocate-4gb", `perl -e '$x = "a" x (4 * 1024**3); print length $x'`),
      contained("write-100gb", "head -c 100G /dev/zero > big.bin"),
    ],
    // write-outside's mkdir succeeds inside the run's own TMPDIR, which all of the run's nodes share (the real
    // directory is checked below): it goes after the read that must not find that path.
    edges: [{ from: "read-other-workspace", to: "write-outside" }],
  };
  // The owner saves the plan (a runner may not edit plans); the runner runs it.
  await page.goto("/settings/tokens");
  await page.getByLabel("Token name").fill("owner for attacks");
  await page.getByRole("button", { name: "Create token" }).click();
  const owner = await playwright.request.newContext({
    baseURL,
    extraHTTPHeaders: { authorization: `Bearer ${await page.getByLabel("New API token").inputValue()}` },
  });
  const saved = await owner.post("/api/v1/plans", { data: { document: plan } });
  expect(saved.status()).toBe(201);
  const { plan: stored } = (await saved.json()) as { plan: { id: string } };
  await owner.dispose();
  const started = await api.post("/api/v1/runs", { data: { planId: stored.id } });
  expect(started.status()).toBe(202);
  const { runId } = (await started.json()) as { runId: string };

  const finished = (async () => {
    for (;;) {
      const { run } = (await (await api.get(`/api/v1/runs/${runId}`)).json()) as { run: { status: string; nodes: NodeResult[] } };
      if (!["queued", "running"].includes(run.status)) return run;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  })();
  const slowest = await slowestAnswerDuring(api, finished);
  const run = await finished;
  const node = (id: string) => run.nodes.find((candidate) => candidate.nodeId === id) as NodeResult;

  for (const id of ["read-database", "read-other-workspace", "read-server-environment", "see-server-processes", "write-outside"]) {
    expect(node(id), id).toMatchObject({ status: "succeeded" });
  }
  expect(node("setsid-escape").error?.code).toBe("timeout");
  const escapeMs = Date.parse(node("setsid-escape").finishedAt ?? "") - Date.parse(node("setsid-escape").startedAt ?? "");
  expect(escapeMs).toBeLessThan(2000);
  expect(countProcessesRunning("sleep", marker)).toBe(0);
  expect(node("fork-bomb").status).toBe("failed");
  expect(node("allocate-4gb").error).toMatchObject({ code: "limit-exceeded", message: expect.stringMatching(/memory limit \(2048 MiB\)/) });
  expect(node("write-100gb").error).toMatchObject({
    code: "limit-exceeded",
    message: expect.stringMatching(/file size limit \(1024 MiB per file\)/),
  });

  // Nothing outside the run's directory changed.
  expect(existsSync(path.join(otherWorkspace, "pwned"))).toBe(false);
  expect(existsSync("/etc/pwned")).toBe(false);
  // The server answered throughout.
  expect(slowest).toBeLessThan(1000);
  await api.dispose();
});
