import { defineConfig } from "@playwright/test";
import { storageStatePath } from "./e2e/auth-fixtures";

/** Every e2e run starts the production build on a fresh, empty database of each provider. */
// E2E_PORT moves both servers, so two checkouts can run their suites side by side.
const basePort = Number(process.env.E2E_PORT ?? 3107);
const servers = [
  { provider: "sqlite", port: basePort },
  { provider: "postgresql", port: basePort + 1 },
] as const;

export default defineConfig({
  testDir: "./e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  reporter: [["list"], ["json", { outputFile: "test-reports/e2e.json" }]],
  use: {
    browserName: "chromium",
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    launchOptions: {
      // Debian's Chromium: these machines cannot download Playwright's own browser build.
      executablePath: "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [
    // Each server is set up through its setup screen first (e2e/auth.setup.ts); every spec then starts signed in as the owner.
    { name: "setup-sqlite", testMatch: /auth\.setup\.ts/, use: { baseURL: `http://127.0.0.1:${servers[0].port}` } },
    { name: "setup-postgresql", testMatch: /auth\.setup\.ts/, use: { baseURL: `http://127.0.0.1:${servers[1].port}` } },
    // The smoke test first, while the install still holds only the sample plan and no runs; then the whole journey on the embedded default.
    {
      name: "smoke-sqlite",
      testMatch: /smoke\.spec\.ts/,
      dependencies: ["setup-sqlite"],
      use: { baseURL: `http://127.0.0.1:${servers[0].port}`, storageState: storageStatePath("sqlite") },
    },
    {
      name: "sqlite",
      testIgnore: /smoke\.spec\.ts/,
      dependencies: ["smoke-sqlite"],
      use: { baseURL: `http://127.0.0.1:${servers[0].port}`, storageState: storageStatePath("sqlite") },
    },
    // The smoke test again on PostgreSQL.
    {
      name: "postgresql",
      testMatch: /smoke\.spec\.ts/,
      dependencies: ["setup-postgresql"],
      use: { baseURL: `http://127.0.0.1:${servers[1].port}`, storageState: storageStatePath("postgresql") },
    },
  ],
  webServer: servers.map(({ provider, port }) => ({
    command: `node_modules/.bin/tsx scripts/e2e-server.ts ${provider} ${port}`,
    url: `http://127.0.0.1:${port}/library`,
    timeout: 180_000,
    reuseExistingServer: false,
  })),
});
