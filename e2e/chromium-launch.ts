/**
 * How Playwright starts a browser on these machines: Debian's Chromium (they
 * cannot download Playwright's own build), without the sandbox (tests run as
 * root) and without the background traffic nothing here can reach. Shared by
 * the Playwright config, the browser benchmarks and the screenshot script.
 */
import type { LaunchOptions } from "@playwright/test";

export const CHROMIUM_LAUNCH_OPTIONS = {
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
} as const satisfies LaunchOptions;
