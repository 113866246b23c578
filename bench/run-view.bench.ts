/**
 * The live run view under load, in headless Chromium on the production build:
 * a 2,000-node plan whose nodes each print lines at a steady pace, so the
 * runner emits over 5,000 events a second. Measures the
 * page's frame rate while the run streams, and the lag from the runner's
 * timestamp of each node's final status to that status appearing in the DOM.
 * Targets: ≥ 30 fps and lag p95 < 250 ms at ≥ 5,000 events/s.
 *
 *   npx tsx bench/run-view.bench.ts
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import os from "node:os";
import { chromium } from "@playwright/test";
import type { PlanDocumentInput } from "../lib/plan/schema";
import { RunEvent } from "../lib/run-events/run-events";
import { CHROMIUM_LAUNCH_OPTIONS } from "../e2e/chromium-launch";

const PORT = 3297;
const BASE = `http://127.0.0.1:${PORT}`;
const NODES = 2_000;
// 50 chains of 40 nodes; each node prints 60 lines 7 ms apart, so the 50 running at once make
// ~5,500 events a second, paced. A generator that saturates the two cores instead measures how
// the browser fares without CPU, not the view at the named event rate.
const WIDTH = 50;
const LINES_PER_NODE = 60;
const CONCURRENCY = WIDTH;

function plan(): PlanDocumentInput {
  // A gate first, so the page is open and live before the load starts.
  const nodes: PlanDocumentInput["nodes"] = [{ id: "gate", type: "shell", params: { command: "sleep 4" } }];
  const edges: NonNullable<PlanDocumentInput["edges"]> = [];
  for (let index = 0; index < NODES; index += 1) {
    nodes.push({
      id: `n${index}`,
      type: "shell",
      // One process per node that pauses between lines, rather than a forked `sleep` per line: forking
      // would eat the CPU the runner needs to emit events, and the bench measures the view, not fork().
      params: {
        command: `perl -e '$|=1; for my $i (1..${LINES_PER_NODE}) { print "node ${index} line $i\\n"; select(undef, undef, undef, 0.007) }'`,
      },
    });
    edges.push({ from: index >= WIDTH ? `n${index - WIDTH}` : "gate", to: `n${index}` });
  }
  return { name: "Run view load", settings: { concurrency: CONCURRENCY }, nodes, edges };
}

async function waitForServer(): Promise<void> {
  for (let attempt = 0; attempt < 240; attempt += 1) {
    try {
      await fetch(`${BASE}/sign-in`);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  throw new Error("the server did not start");
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function main(): Promise<number> {
  if (!existsSync(".next/BUILD_ID")) spawnSync("node_modules/.bin/next", ["build"], { stdio: "inherit" });
  const server = spawn("node_modules/.bin/tsx", ["scripts/e2e-server.ts", "sqlite", String(PORT)], {
    stdio: "ignore",
    env: { ...process.env, BATCHBOARD_SERVER_CONCURRENCY: String(CONCURRENCY) },
  });
  try {
    await waitForServer();
    const browser = await chromium.launch(CHROMIUM_LAUNCH_OPTIONS);
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(`${BASE}/`);
    await page.getByLabel("Your name").fill("Bench");
    await page.getByLabel("Email").fill("bench@example.test");
    await page.getByLabel(/^Password/).fill("correct horse battery");
    await page.getByLabel("Team name").fill("Bench");
    await page.getByRole("button", { name: "Create owner account" }).click();
    await page.waitForURL(/\/library$/);
    const created = await page.request.post(`${BASE}/api/v1/plans`, { data: { document: plan() }, headers: { origin: BASE } });
    const planId = ((await created.json()) as { plan: { id: string } }).plan.id;

    // Frame times and DOM status changes, recorded in the page from its first paint.
    // A string, not a function: tsx would inject its __name helper, which the page does not have.
    await page.addInitScript(`
      const frames = [];
      const changes = [];
      Object.assign(window, { benchFrames: frames, benchChanges: changes });
      const tick = () => { frames.push(performance.timeOrigin + performance.now()); requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
      new MutationObserver((records) => {
        const now = performance.timeOrigin + performance.now();
        for (const record of records) {
          const status = record.target.getAttribute("data-status");
          const nodeId = record.target.getAttribute("data-node-id");
          if (nodeId && status) changes.push([nodeId, status, now]);
        }
      }).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-status"] });
      // When each node's final status reached the page, to tell delivery from rendering in the lag.
      const arrivals = [];
      Object.assign(window, { benchArrivals: arrivals });
      const PageEventSource = window.EventSource;
      window.EventSource = class extends PageEventSource {
        constructor(...args) {
          super(...args);
          this.addEventListener("message", (message) => {
            // A message may carry a batch of events; the runner writes node.status keys in this order.
            const now = performance.timeOrigin + performance.now();
            for (const match of message.data.matchAll(/"type":"node\\.status","nodeId":"([^"]+)","status":"succeeded"/g)) arrivals.push([match[1], now]);
          });
        }
      };
    `);
    const started = await page.request.post(`${BASE}/api/v1/runs`, { data: { planId }, headers: { origin: BASE } });
    if (!started.ok()) throw new Error(`starting the run failed: ${await started.text()}`);
    const runId = ((await started.json()) as { runId?: string; run?: { id: string } }).runId ?? "";
    await page.goto(`${BASE}/runs/${runId}`);
    // Waiting through the API, not a page locator: Playwright polls locators on every animation frame, which would load the page being measured.
    for (let status = ""; !/succeeded|failed|cancelled/.test(status); await page.waitForTimeout(500)) {
      status = ((await (await page.request.get(`${BASE}/api/v1/runs/${runId}`)).json()) as { run: { status: string } }).run.status;
    }
    await page
      .getByTestId("run-status")
      .filter({ hasText: /succeeded|failed/ })
      .waitFor({ timeout: 60_000 });
    await page.waitForTimeout(500);

    const { frames, changes, arrivals } = await page.evaluate(() => {
      const bench = window as unknown as {
        benchFrames: number[];
        benchChanges: [string, string, number][];
        benchArrivals: [string, number][];
      };
      return { frames: bench.benchFrames, changes: bench.benchChanges, arrivals: bench.benchArrivals };
    });
    const log = await page.request.get(`${BASE}/api/v1/runs/${runId}/events`);
    const events = (await log.text())
      .split("\n")
      .filter((line) => line.startsWith("data: "))
      .map((line) => RunEvent.parse(JSON.parse(line.slice(6))));
    await browser.close();

    const nodeEvents = events.filter((event) => (event.type === "node.status" || event.type === "node.output") && event.nodeId !== "gate");
    const firstAt = Math.min(...nodeEvents.map((event) => event.at));
    const lastAt = Math.max(...nodeEvents.map((event) => event.at));
    const eventsPerSecond = nodeEvents.length / ((lastAt - firstAt) / 1000);
    const outputEvents = nodeEvents.filter((event) => event.type === "node.output").length;
    const perSecond = new Map<number, number>();
    for (const event of nodeEvents) {
      const second = Math.floor(event.at / 1000);
      perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
    }
    const busiestSecond = Math.max(...perSecond.values());

    const finalAt = new Map<string, number>();
    for (const event of events) if (event.type === "node.status" && event.status === "succeeded") finalAt.set(event.nodeId, event.at);
    const lags: number[] = [];
    for (const [nodeId, status, at] of changes) {
      const runnerAt = finalAt.get(nodeId);
      if (status === "succeeded" && runnerAt !== undefined) lags.push(at - runnerAt);
    }
    const deliveryLags = arrivals.flatMap(([nodeId, at]) => {
      const runnerAt = finalAt.get(nodeId);
      return runnerAt === undefined ? [] : [at - runnerAt];
    });
    // Frame rate while the run streamed: frames between the first and last node event. Page and
    // runner share this machine's clock, so frame times are in the events' epoch milliseconds.
    const streaming = frames.filter((time) => time >= firstAt && time <= lastAt);
    const gaps = streaming.slice(1).map((time, index) => time - (streaming[index] ?? time));
    const fps = gaps.length ? 1000 / (gaps.reduce((sum, gap) => sum + gap, 0) / gaps.length) : 0;
    const fpsP5 = gaps.length ? 1000 / percentile(gaps, 95) : 0;

    const lagP95 = percentile(lags, 95);
    // The frame rate and lag only count under the load the target names.
    const ok = eventsPerSecond >= 5_000 && fps >= 30 && lagP95 < 250;
    console.log(
      `Machine: ${os.cpus().length} cores, load average ${os.loadavg()[0]?.toFixed(1)}; ${new Date().toISOString().slice(0, 10)}`,
    );
    console.log("");
    console.log("| measure | value | target |");
    console.log("| --- | ---: | --- |");
    console.log(`| nodes / events in the run | ${NODES} / ${events.length} | 2,000 nodes |`);
    console.log(
      `| runner event rate, mean over ${((lastAt - firstAt) / 1000).toFixed(1)} s (busiest second) | ${eventsPerSecond.toFixed(0)} events/s (${busiestSecond}) | ≥ 5,000 |`,
    );
    console.log(`| node events: output / status | ${outputEvents} / ${nodeEvents.length - outputEvents} | |`);
    console.log(`| page frame rate while streaming (mean / 5th percentile) | ${fps.toFixed(1)} / ${fpsP5.toFixed(1)} fps | ≥ 30 |`);
    console.log(
      `| of which runner → page (SSE arrival; p50 / p95) | ${percentile(deliveryLags, 50).toFixed(0)} / ${percentile(deliveryLags, 95).toFixed(0)} ms | |`,
    );
    console.log(
      `| lag runner → DOM, node final status (p50 / p95 / max, ${lags.length} nodes) | ${percentile(lags, 50).toFixed(0)} / ${lagP95.toFixed(0)} / ${Math.max(...lags).toFixed(0)} ms | p95 < 250 ms |`,
    );
    return ok ? 0 : 1;
  } finally {
    server.kill("SIGTERM");
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
