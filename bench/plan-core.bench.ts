/**
 * Plan core benchmark: validatePlan + optimizePlan on generated plans of 1k,
 * 10k and 100k nodes with 3× as many edges. Prints a markdown table of
 * medians (after warm-up) and exits 1 when the 10k-node plan takes 150 ms or
 * more — the budget for validating and optimizing on every edit in the editor.
 * The CPU column is process CPU time: on a machine busy with other work,
 * wall time grows but CPU time shows what the code itself costs.
 *
 *   npx tsx bench/plan-core.bench.ts
 */
import { validatePlan } from "../lib/plan/validate-plan";
import { optimizePlan } from "../lib/plan/optimize-plan";
import { generatePlan } from "../lib/plan/testing/generate-plan";

const BUDGET_MS = 150;
const BUDGET_NODES = 10_000;

interface Case {
  nodes: number;
  warmup: number;
  runs: number;
}

const CASES: Case[] = [
  { nodes: 1_000, warmup: 10, runs: 31 },
  { nodes: 10_000, warmup: 5, runs: 21 },
  { nodes: 100_000, warmup: 1, runs: 5 },
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

interface Row {
  nodes: number;
  edges: number;
  validate: number;
  optimize: number;
  total: number;
  /** CPU time of the process for one validate + optimize (median): what the code costs when the machine is busy with other work. */
  cpu: number;
  notes: string[];
}

function measure({ nodes, warmup, runs }: Case): Row {
  const input = generatePlan({ nodes, edges: nodes * 3, seed: 42 });
  const validateTimes: number[] = [];
  const optimizeTimes: number[] = [];
  const totals: number[] = [];
  const cpuTimes: number[] = [];
  let notes: string[] = [];
  for (let run = 0; run < warmup + runs; run++) {
    const cpuStarted = process.cpuUsage();
    const started = performance.now();
    const result = validatePlan(input);
    const validated = performance.now();
    if (!result.ok) throw new Error(`Generated plan is invalid: ${result.problems[0]?.message}`);
    const execution = optimizePlan(result.plan);
    const optimized = performance.now();
    const cpu = process.cpuUsage(cpuStarted);
    if (run < warmup) continue;
    cpuTimes.push((cpu.user + cpu.system) / 1000);
    validateTimes.push(validated - started);
    optimizeTimes.push(optimized - validated);
    totals.push(optimized - started);
    notes = execution.notes;
  }
  return {
    nodes,
    edges: input.edges?.length ?? 0,
    validate: median(validateTimes),
    optimize: median(optimizeTimes),
    total: median(totals),
    cpu: median(cpuTimes),
    notes,
  };
}

const rows = CASES.map(measure);
const format = (ms: number) => ms.toFixed(1);
const lines = [
  "| nodes | edges | validate (ms) | optimize (ms) | total (ms) | CPU (ms) | µs per node | growth vs previous | skipped checks |",
  "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
  ...rows.map((row, index) => {
    const previous = rows[index - 1];
    const growth =
      previous === undefined ? "—" : `${(row.total / previous.total).toFixed(1)}× for ${(row.nodes / previous.nodes).toFixed(0)}× nodes`;
    const skipped = row.notes.filter((note) => /not (checked|looked for)|only/.test(note)).length;
    return `| ${row.nodes.toLocaleString("en")} | ${row.edges.toLocaleString("en")} | ${format(row.validate)} | ${format(row.optimize)} | ${format(row.total)} | ${format(row.cpu)} | ${((row.total * 1000) / row.nodes).toFixed(1)} | ${growth} | ${skipped === 0 ? "none" : `${skipped} (see notes)`} |`;
  }),
];
console.log(lines.join("\n"));
for (const row of rows) {
  for (const note of row.notes) console.log(`\n- ${row.nodes.toLocaleString("en")} nodes: ${note}`);
}

const budgetRow = rows.find((row) => row.nodes === BUDGET_NODES);
if (budgetRow === undefined || budgetRow.total >= BUDGET_MS) {
  console.error(
    `\nFAIL: ${BUDGET_NODES} nodes took ${budgetRow ? format(budgetRow.total) : "?"} ms (median); the budget is ${BUDGET_MS} ms.`,
  );
  process.exit(1);
}
console.log(`\nOK: ${BUDGET_NODES.toLocaleString("en")} nodes in ${format(budgetRow.total)} ms (median), budget ${BUDGET_MS} ms.`);
