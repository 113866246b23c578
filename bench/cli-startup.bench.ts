/**
 * The CLI as a user or an agent starts it (`node scripts/batchboard.cjs`, what
 * `npx batchboard` runs), 10 runs per row, wall time and peak RSS of each
 * process (/usr/bin/time's maximum resident set size) and its CPU time (on
 * a machine busy with other work, wall time grows; CPU time shows what the
 * start itself costs). Targets:
 * - `validate` of a one-node plan ≤ 150 ms;
 * - `run` of a one-node plan (`true`, in the bubblewrap sandbox, the
 *   default) ≤ 250 ms and ≤ 120 MB;
 * - `validate` of a 10,000-node plan ≤ 400 ms;
 * - `run` of a command printing 300 MB ≤ 200 MB.
 * References in the same run: `node -e 0` (Node's own start), run before
 * each timed run so that each row's ratio compares the same moments of a
 * machine whose speed drifts by ±20 % within minutes, and the same sources
 * run as TypeScript through tsx, as the CLI started before it was built
 * ahead of time (3 runs each: they are slow).
 * Each row starts after one untimed run (the first `run` migrates the fresh
 * SQLite file; later ones find the plan's version already recorded).
 * Where the shell sets NODE_EXTRA_CA_CERTS (this machine's does, for its
 * proxy), the three timed commands are measured again without it, beside
 * `node -e 0` without it: Node 20 parses those certificates at every start,
 * before any JavaScript runs (nodejs/node#40524; here ~40 ms of every
 * process), so both figures are shown.
 * Usage: npx tsx bench/cli-startup.bench.ts [runs]
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { generatePlan } from "../lib/plan/testing/generate-plan";
import { median, ms, printTable } from "./runner-bench-kit";

const RUNS = Number(process.argv[2] ?? 10);
const REFERENCE_RUNS = 3;
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const LAUNCHER = path.join(ROOT, "scripts/batchboard.cjs");
const FLOOD_BYTES = 300_000_000;

const home = mkdtempSync(path.join(os.tmpdir(), "batchboard-bench-cli-"));
const workspace = path.join(home, "workspace");
mkdirSync(workspace);
// The embedded SQLite file in the data directory, whatever this shell has configured.
const { DATABASE_URL: _configured, ...inherited } = process.env;
const env: NodeJS.ProcessEnv = { ...inherited, BATCHBOARD_DATA_DIR: path.join(home, "data") };
const { NODE_EXTRA_CA_CERTS: extraCaCerts, ...envWithoutExtraCaCerts } = env;
function planFile(name: string, document: unknown): string {
  const file = path.join(home, `${name}.json`);
  writeFileSync(file, JSON.stringify(document));
  return file;
}
const oneNode = planFile("one", { name: "one node", nodes: [{ id: "a", type: "shell", params: { command: "true" } }] });
const flood = planFile("flood", {
  name: "flood",
  nodes: [{ id: "flood", type: "shell", params: { command: `head -c ${FLOOD_BYTES} /dev/zero | tr '\\0' a` } }],
});
const large = planFile("large", generatePlan({ nodes: 10_000, edges: 30_000, seed: 42 }));

interface Sample {
  wallMs: number;
  /** User + system CPU time of the process and what it waited for (the zygote, the commands). */
  cpuMs: number;
  peakKb: number;
}

/** Runs `node ...args` under /usr/bin/time; its wall time from here, its peak RSS from time's report. */
function measure(args: string[], environment: NodeJS.ProcessEnv): Sample {
  const report = path.join(home, "time.txt");
  const started = performance.now();
  const result = spawnSync("/usr/bin/time", ["-f", "%M %U %S", "-o", report, process.execPath, ...args], {
    cwd: ROOT,
    env: environment,
    stdio: ["ignore", "ignore", "pipe"],
  });
  const wallMs = performance.now() - started;
  if (result.status !== 0) throw new Error(`node ${args.join(" ")} exited ${result.status}: ${result.stderr}`);
  const [peakKb, user, system] = (readFileSync(report, "utf8").trim().split("\n").pop() as string).split(" ").map(Number);
  return { wallMs, cpuMs: ((user as number) + (system as number)) * 1000, peakKb: peakKb as number };
}

/** A command's runs, each right after a run of `node -e 0`: its reference, taken at the same moments of the machine. */
interface Series {
  samples: Sample[];
  node: Sample[];
}

function series(args: string[], runs: number, environment = env): Series {
  measure(args, environment);
  const result: Series = { samples: [], node: [] };
  for (let run = 0; run < runs; run++) {
    result.node.push(measure(["-e", "0"], environment));
    result.samples.push(measure(args, environment));
  }
  return result;
}

if (spawnSync(process.execPath, [path.join(ROOT, "scripts/build-cli.mjs")], { stdio: "inherit" }).status !== 0)
  throw new Error("the CLI build failed");
const cli = (...args: string[]) => [LAUNCHER, ...args];
const tsx = (...args: string[]) => ["--import", "tsx", path.join(ROOT, "lib/cli/main.ts"), ...args];
const rows = {
  validate: series(cli("validate", oneNode), RUNS),
  validateTsx: series(tsx("validate", oneNode), REFERENCE_RUNS),
  run: series(cli("run", oneNode, "--workspace", workspace), RUNS),
  runTsx: series(tsx("run", oneNode, "--workspace", workspace), REFERENCE_RUNS),
  runUncontained: series(cli("run", oneNode, "--workspace", workspace), REFERENCE_RUNS, { ...env, BATCHBOARD_SANDBOX: "off" }),
  validateLarge: series(cli("validate", large), RUNS),
  flood: series(cli("run", flood, "--workspace", workspace), RUNS),
};
const withoutExtraCaCerts =
  extraCaCerts === undefined
    ? null
    : {
        validate: series(cli("validate", oneNode), RUNS, envWithoutExtraCaCerts),
        run: series(cli("run", oneNode, "--workspace", workspace), RUNS, envWithoutExtraCaCerts),
        validateLarge: series(cli("validate", large), RUNS, envWithoutExtraCaCerts),
      };
rmSync(home, { recursive: true, force: true });

const wall = (samples: Sample[]) => median(samples.map((sample) => sample.wallMs));
const cpu = (samples: Sample[]) => median(samples.map((sample) => sample.cpuMs));
const peakMb = (samples: Sample[]) => Math.max(...samples.map((sample) => sample.peakKb)) / 1024;
const everyNodeRun = Object.values(rows).flatMap((measured) => measured.node);
const everyNodeRunWithout = Object.values(withoutExtraCaCerts ?? {}).flatMap((measured) => measured.node);
interface Target {
  wallMs?: number;
  peakMb?: number;
}
const misses: string[] = [];
function row(side: string, { samples, node }: Series, target: Target = {}) {
  if (target.wallMs !== undefined && wall(samples) > target.wallMs) misses.push(`${side}: wall`);
  if (target.peakMb !== undefined && peakMb(samples) > target.peakMb) misses.push(`${side}: memory`);
  const goals = [target.wallMs && `≤ ${target.wallMs} ms`, target.peakMb && `≤ ${target.peakMb} MB`].filter(Boolean).join(", ");
  return [
    side,
    samples.length,
    ms(wall(samples)),
    `${(wall(samples) / wall(node)).toFixed(2)}× (${ms(wall(node))})`,
    ms(cpu(samples)),
    `${peakMb(samples).toFixed(0)} MB`,
    goals,
  ];
}
console.log(`The CLI's start, ${os.cpus().length} CPUs, load average ${os.loadavg()[0]?.toFixed(1)}\n`);
printTable(
  [
    "command",
    "runs",
    "wall time (median)",
    "ratio vs node -e 0 run alongside (its median)",
    "CPU time (median)",
    "peak RSS (max)",
    "target",
  ],
  [
    row("node -e 0 (reference), every run of the rows below", { samples: everyNodeRun, node: everyNodeRun }),
    row("batchboard validate, 1 node", rows.validate, { wallMs: 150 }),
    row("validate, 1 node, same sources through tsx (reference)", rows.validateTsx),
    row("batchboard run, 1 node (`true`)", rows.run, { wallMs: 250, peakMb: 120 }),
    row("run, 1 node, same sources through tsx (reference)", rows.runTsx),
    row("run, 1 node, BATCHBOARD_SANDBOX=off (reference)", rows.runUncontained),
    row("batchboard validate, 10,000 nodes", rows.validateLarge, { wallMs: 400 }),
    row("batchboard run, a command printing 300 MB", rows.flood, { peakMb: 200 }),
    ...(withoutExtraCaCerts === null
      ? []
      : [
          row("without NODE_EXTRA_CA_CERTS: node -e 0 (reference), every run of the rows below", {
            samples: everyNodeRunWithout,
            node: everyNodeRunWithout,
          }),
          row("without NODE_EXTRA_CA_CERTS: batchboard validate, 1 node", withoutExtraCaCerts.validate, { wallMs: 150 }),
          row("without NODE_EXTRA_CA_CERTS: batchboard run, 1 node (`true`)", withoutExtraCaCerts.run, { wallMs: 250, peakMb: 120 }),
          row("without NODE_EXTRA_CA_CERTS: batchboard validate, 10,000 nodes", withoutExtraCaCerts.validateLarge, { wallMs: 400 }),
        ]),
  ],
);
console.log(misses.length ? `\nTarget missed: ${misses.join("; ")}.` : "\nTargets met.");
process.exit(misses.length ? 1 : 0);
