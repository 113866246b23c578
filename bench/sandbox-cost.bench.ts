/**
 * What the sandbox adds per command: 300 sequential `true` commands through
 * one run's sandbox (bubblewrap, a user and PID namespace per command) and
 * through the uncontained helper, alternately, in the same process. Also the
 * once-per-run cost of starting the sandbox (its first command). Target: the
 * sandbox adds ≤ 0.2 ms per command.
 * Usage: npx tsx bench/sandbox-cost.bench.ts [rounds]
 */
import os from "node:os";
import { benchCommands, median, printTable } from "./runner-bench-kit";

const ROUNDS = Number(process.argv[2] ?? 5);
const COMMANDS = 300;
const launchers = { sandboxed: benchCommands(true), uncontained: benchCommands(false) } as const;
const request = { command: "true", cwd: os.tmpdir(), env: { PATH: "/usr/bin:/bin" } };

async function timeRun(name: keyof typeof launchers, round: number): Promise<{ firstMs: number; perCommandMs: number }> {
  const commands = launchers[name].openRun({
    runId: `sandbox-cost-${process.pid}-${name}-${round}`,
    workspaceRoot: os.tmpdir(),
    settings: { network: true, limits: {} },
    concurrency: 1,
  });
  const opened = performance.now();
  await (await commands.spawn(request, () => undefined)).closed;
  const started = performance.now();
  for (let i = 0; i < COMMANDS; i += 1) await (await commands.spawn(request, () => undefined)).closed;
  const perCommandMs = (performance.now() - started) / COMMANDS;
  await commands.close();
  return { firstMs: started - opened, perCommandMs };
}

const results = {
  sandboxed: [] as Array<{ firstMs: number; perCommandMs: number }>,
  uncontained: [] as Array<{ firstMs: number; perCommandMs: number }>,
};
// Round 0 warms up both sides (the compiled helper, the page cache) and is not counted.
for (let round = 0; round <= ROUNDS; round += 1) {
  for (const name of ["sandboxed", "uncontained"] as const) {
    const timing = await timeRun(name, round);
    if (round > 0) results[name].push(timing);
  }
}
launchers.uncontained.close();

const perCommand = (name: keyof typeof results) => median(results[name].map((timing) => timing.perCommandMs));
const first = (name: keyof typeof results) => median(results[name].map((timing) => timing.firstMs));
const added = perCommand("sandboxed") - perCommand("uncontained");
console.log(
  `${COMMANDS} sequential \`true\` commands per run, median of ${ROUNDS} alternating rounds after a warm-up round, ${os.cpus().length} CPUs, load average ${os.loadavg()[0]?.toFixed(1)}\n`,
);
printTable(
  ["side", "per command (median)", "rounds", "first command of the run (starts the sandbox)"],
  (["uncontained", "sandboxed"] as const).map((name) => [
    name === "sandboxed"
      ? "sandboxed: bubblewrap per run, user + PID namespace per command"
      : "uncontained helper (BATCHBOARD_SANDBOX=off)",
    `${perCommand(name).toFixed(3)} ms`,
    results[name].map((timing) => timing.perCommandMs.toFixed(2)).join(", "),
    `${first(name).toFixed(1)} ms`,
  ]),
);
console.log();
printTable(["sandbox's added cost", "per command", "target"], [["sandboxed − uncontained", `${added.toFixed(3)} ms`, "≤ 0.2 ms"]]);
const missed = added > 0.2;
console.log(missed ? "\nTarget missed." : "\nTarget met.");
process.exit(missed ? 1 : 0);
