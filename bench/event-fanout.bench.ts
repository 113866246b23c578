/**
 * Fan-out of live events (issue 16): with 100 SSE watchers streaming one
 * 200-node run, every page and API call must still answer with p95 < 500 ms.
 * Against the production server (`next start`, SQLite, in-process runner):
 * a 200-node run of short commands in a few parallel lanes is started
 * through the API, 1 watcher and then, on a second run, 100 watchers attach
 * to `/api/v1/runs/{id}/events` (real HTTP connections with an API token),
 * and while they stream, the library page, the run page and API endpoints
 * are timed one request after another. Prints both sides, exits 1 when a
 * p95 is over 500 ms, a watcher missed the run's end, or a run ended before
 * its measurement did (the figures would then not be under load).
 *
 *   npx tsx bench/event-fanout.bench.ts   (builds first if .next is missing)
 *
 * BENCH_FANOUT_WATCHERS (100), BENCH_FANOUT_ROUNDS (25 requests per endpoint
 * and side), BENCH_PORT (3341).
 */
import os from "node:os";
import type { PlanDocumentInput } from "../lib/plan/schema";
import { startBenchServer, type BenchServer } from "./bench-server";
import { median, percentile, printTable } from "./runner-bench-kit";

const WATCHERS = Number(process.env.BENCH_FANOUT_WATCHERS ?? 100);
const ROUNDS = Number(process.env.BENCH_FANOUT_ROUNDS ?? 25);
const PORT = Number(process.env.BENCH_PORT ?? 3341);
const P95_TARGET_MS = 500;
const NODES = 200;
const LANES = 4;

/** 200 nodes in 4 chains of 50; each prints a line and sleeps, so the run streams events for ~30 s (it is cancelled once measured). */
function fanoutPlan(): PlanDocumentInput {
  const perLane = NODES / LANES;
  const id = (lane: number, step: number) => `l${lane}-n${step}`;
  const nodes = Array.from({ length: NODES }, (_, index) => {
    const lane = index % LANES;
    const step = Math.floor(index / LANES);
    return { id: id(lane, step), type: "shell" as const, params: { command: `echo lane ${lane} step ${step}; sleep 0.6` } };
  });
  const edges = nodes.flatMap((_, index) => {
    const lane = index % LANES;
    const step = Math.floor(index / LANES);
    return step + 1 < perLane ? [{ from: id(lane, step), to: id(lane, step + 1) }] : [];
  });
  return { name: "Event fan-out benchmark", settings: { concurrency: LANES }, nodes, edges };
}

async function api<T>(server: BenchServer, method: string, pathName: string, body?: unknown): Promise<T> {
  const response = await fetch(`${server.base}${pathName}`, {
    method,
    headers: { authorization: server.bearer, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${pathName}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** An SSE client that reads everything and notes whether the run's final status came. */
interface Watcher {
  connected: Promise<void>;
  /** Resolves true when the stream delivered a final run status before closing. */
  ended: Promise<boolean>;
  close(): void;
}

function watch(server: BenchServer, runId: string): Watcher {
  const abort = new AbortController();
  let connect!: () => void;
  const connected = new Promise<void>((resolve) => (connect = resolve));
  const ended = (async () => {
    const response = await fetch(`${server.base}/api/v1/runs/${runId}/events`, {
      headers: { authorization: server.bearer },
      signal: abort.signal,
    });
    if (!response.ok || !response.body) throw new Error(`events of ${runId}: ${response.status}`);
    connect();
    const decoder = new TextDecoder();
    const reader = response.body.getReader();
    let tail = "";
    let sawFinal = false;
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      // Only the end of the text matters: the final status is the last event.
      tail = (tail + decoder.decode(chunk.value, { stream: true })).slice(-4_000);
      if (/"type":"run\.status","status":"(succeeded|failed|cancelled)"/.test(tail)) sawFinal = true;
    }
    return sawFinal;
  })().catch((error: unknown) => {
    connect();
    if (abort.signal.aborted) return false;
    throw error;
  });
  return { connected, ended, close: () => abort.abort() };
}

interface Probe {
  label: string;
  path: (runId: string) => string;
  /** Pages are read with the session cookie, the API with the token. */
  page: boolean;
}

const PROBES: Probe[] = [
  { label: "library page", path: () => "/library", page: true },
  { label: "run page", path: (runId) => `/runs/${runId}`, page: true },
  { label: "GET /api/v1/plans", path: () => "/api/v1/plans", page: false },
  { label: "GET /api/v1/runs", path: () => "/api/v1/runs?limit=20", page: false },
  { label: "GET /api/v1/runs/{id}", path: (runId) => `/api/v1/runs/${runId}`, page: false },
  { label: "GET /api/v1/runs/{id}/report", path: (runId) => `/api/v1/runs/${runId}/report`, page: false },
];

/** Times every probe ROUNDS times, interleaved; milliseconds per probe, body read to the end. */
async function timeRequests(server: BenchServer, runId: string): Promise<number[][]> {
  const times = PROBES.map(() => [] as number[]);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [index, probe] of PROBES.entries()) {
      const started = performance.now();
      const response = await fetch(`${server.base}${probe.path(runId)}`, {
        headers: probe.page ? { cookie: server.cookie } : { authorization: server.bearer },
        redirect: "manual",
      });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`${probe.label}: ${response.status}`);
      times[index]?.push(performance.now() - started);
    }
  }
  return times;
}

interface Side {
  watchers: number;
  times: number[][];
  /** The run was still running when the last request answered. */
  stillRunning: boolean;
  allEnded: boolean;
  load: string;
}

async function measureWith(server: BenchServer, planId: string, watcherCount: number): Promise<Side> {
  const { runId } = await api<{ runId: string }>(server, "POST", "/api/v1/runs", { planId });
  const watchers = Array.from({ length: watcherCount }, () => watch(server, runId));
  await Promise.all(watchers.map((watcher) => watcher.connected));
  const times = await timeRequests(server, runId);
  const { status } = await api<{ run: { status: string } }>(server, "GET", `/api/v1/runs/${runId}`).then((body) => body.run);
  const load = os
    .loadavg()
    .map((value) => value.toFixed(1))
    .join(" / ");
  // Cancelled, so the next side is measured beside no other run.
  if (status === "running") await api(server, "POST", `/api/v1/runs/${runId}/cancel`);
  // Every watcher must see the run end: a fan-out that drops events is not cheap, it is broken.
  const allEnded = (await Promise.all(watchers.map((watcher) => watcher.ended))).every(Boolean);
  return { watchers: watcherCount, times, stillRunning: status === "running", allEnded, load };
}

const server = await startBenchServer(PORT);
let ok = true;
try {
  const { plan } = await api<{ plan: { id: string } }>(server, "POST", "/api/v1/plans", { document: fanoutPlan() });
  // Warm-up: every route compiled and its first queries prepared, as for anyone but the very first visitor.
  const warmUp = await api<{ runId: string }>(server, "POST", "/api/v1/runs", { planId: plan.id });
  await timeRequests(server, warmUp.runId);
  await api(server, "POST", `/api/v1/runs/${warmUp.runId}/cancel`);
  const one = await measureWith(server, plan.id, 1);
  const many = await measureWith(server, plan.id, WATCHERS);
  const cell = (values: number[]) =>
    `${median(values).toFixed(0)} / ${percentile(values, 95).toFixed(0)} / ${Math.max(...values).toFixed(0)} ms`;
  console.log(
    `\nevent fan-out: a ${NODES}-node run streamed to 1 and to ${WATCHERS} SSE watchers; ${ROUNDS} requests per row and side (p50 / p95 / max)\n`,
  );
  printTable(
    ["request", "1 watcher", `${WATCHERS} watchers`, "p95 ratio", `p95 < ${P95_TARGET_MS} ms`],
    PROBES.map((probe, index) => {
      const [single, loaded] = [one.times[index] ?? [], many.times[index] ?? []];
      const met = percentile(loaded, 95) < P95_TARGET_MS;
      ok &&= met;
      return [
        probe.label,
        cell(single),
        cell(loaded),
        `${(percentile(loaded, 95) / percentile(single, 95)).toFixed(2)}×`,
        met ? "met" : "**missed**",
      ];
    }),
  );
  for (const side of [one, many]) {
    console.log(
      `${side.watchers} watcher(s): run still running at the end: ${side.stillRunning ? "yes" : "NO"}; every watcher saw the run end: ${side.allEnded ? "yes" : "NO"}; load average ${side.load}`,
    );
    ok &&= side.stillRunning && side.allEnded;
  }
} finally {
  await server.stop();
}
process.exit(ok ? 0 : 1);
