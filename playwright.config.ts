import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";

const port = 3107;
// Every e2e run starts from an empty data directory: a fresh SQLite file and first-start data.
const dataDir = mkdtempSync(path.join(os.tmpdir(), "batchboard-e2e-"));

export default defineConfig({
  testDir: "./e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  reporter: [["list"], ["json", { outputFile: "test-results/e2e.json" }]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
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
  webServer: {
    command: "node_modules/.bin/tsx scripts/start.ts",
    url: `http://127.0.0.1:${port}/library`,
    timeout: 180_000,
    reuseExistingServer: false,
    env: { PORT: String(port), BATCHBOARD_DATA_DIR: dataDir, NEXT_TELEMETRY_DISABLED: "1" },
  },
});
