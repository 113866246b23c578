import { defineConfig } from "@playwright/test";
import { storageStatePath } from "./e2e/auth-fixtures";
import { CHROMIUM_LAUNCH_OPTIONS } from "./e2e/chromium-launch";

/**
 * Every e2e run starts the production build on a fresh, empty database in each deployment shape
 * (scripts/e2e-server.ts): SQLite, PostgreSQL, and cluster mode (PostgreSQL, Redis, two workers).
 */
// E2E_PORT moves all three servers, so two checkouts can run their suites side by side.
const basePort = Number(process.env.E2E_PORT ?? 3107);
const ports = { sqlite: basePort, postgresql: basePort + 1, cluster: basePort + 2 } as const;
type Shape = keyof typeof ports;
const shapes = Object.keys(ports) as Shape[];
const baseURLOf = (shape: Shape) => `http://127.0.0.1:${ports[shape]}`;
/** A project's tests go to this server, signed in as the owner its setup project created. */
const signedInOn = (shape: Shape) => ({ baseURL: baseURLOf(shape), storageState: storageStatePath(shape) });

export default defineConfig({
  testDir: "./e2e",
  fullyParallel: false,
  // One test at a time per server (projects say so below), but the servers' projects side by side: most of a
  // journey's time is spent waiting on its server, so the extra servers add little to the suite's wall time.
  workers: 2,
  retries: 0,
  timeout: 60_000,
  reporter: [["list"], ["json", { outputFile: "test-reports/e2e.json" }]],
  use: {
    browserName: "chromium",
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    launchOptions: CHROMIUM_LAUNCH_OPTIONS,
  },
  projects: [
    // Each server is set up through its setup screen first (e2e/auth.setup.ts); every spec then starts signed in as the owner.
    ...shapes.map((shape) => ({ name: `setup-${shape}`, testMatch: /auth\.setup\.ts/, use: { baseURL: baseURLOf(shape) } })),
    // The smoke test first, while the install still holds only the sample plan and no runs; then every spec on the embedded default.
    { name: "smoke-sqlite", testMatch: /smoke\.spec\.ts/, dependencies: ["setup-sqlite"], workers: 1, use: signedInOn("sqlite") },
    { name: "sqlite", testIgnore: /(smoke|cluster)\.spec\.ts/, dependencies: ["smoke-sqlite"], workers: 1, use: signedInOn("sqlite") },
    // On PostgreSQL the smoke test, then the journeys (editor, library, run view, retry, undo). Tests tagged @client check
    // only what the browser draws and does with plain requests every provider answers alike, and the other specs
    // (accessibility, API, auth, attacks) test markup, the HTTP edge and the sandbox, none of which depends on the database.
    {
      name: "smoke-postgresql",
      testMatch: /smoke\.spec\.ts/,
      dependencies: ["setup-postgresql"],
      workers: 1,
      use: signedInOn("postgresql"),
    },
    {
      name: "postgresql",
      testMatch: /(editor|journeys|library|run-view)\.spec\.ts/,
      grepInvert: /@client/,
      dependencies: ["smoke-postgresql"],
      workers: 1,
      use: signedInOn("postgresql"),
    },
    // Cluster mode changes only where runs execute and how their events and commands travel: the run view's journeys
    // (live events through Redis, retry, cancel and undo reaching a worker), and what only a cluster has.
    { name: "cluster", testMatch: /(run-view|cluster)\.spec\.ts/, dependencies: ["setup-cluster"], workers: 1, use: signedInOn("cluster") },
  ],
  webServer: shapes.map((shape) => ({
    command: `node_modules/.bin/tsx scripts/e2e-server.ts ${shape} ${ports[shape]}`,
    url: `${baseURLOf(shape)}/library`,
    timeout: 180_000,
    reuseExistingServer: false,
    // SIGTERM, not Playwright's default SIGKILL: the script drops its PostgreSQL database and the workers drain.
    gracefulShutdown: { signal: "SIGTERM", timeout: 20_000 },
  })),
});
