/**
 * The commands that only read a plan file (`validate`, `plan`): they load the
 * plan core and nothing of the runner or the database, so they start fast.
 */
import { optimizePlan } from "../plan/optimize-plan";
import { EXIT, type Out } from "./exit-codes";
import { formatDuration } from "./progress-view";
import { formatProblem, readPlanFile } from "./read-plan";

/** `validate plan.json` */
export async function validateCommand(file: string, json: boolean, out: Out): Promise<number> {
  const result = await readPlanFile(file);
  if (json) {
    out.write(JSON.stringify(result.ok ? { ok: true, warnings: result.warnings } : result, null, 2) + "\n");
    return result.ok ? EXIT.ok : EXIT.failed;
  }
  for (const warning of result.warnings) out.write(`⚠ ${formatProblem(warning)}\n`);
  if (!result.ok) {
    for (const problem of result.problems) out.write(`✗ ${formatProblem(problem)}\n`);
    out.write(`${file}: ${result.problems.length} problem${result.problems.length === 1 ? "" : "s"}\n`);
    return EXIT.failed;
  }
  out.write(`✓ ${file}: "${result.plan.name}" is valid (${result.plan.nodes.length} nodes, ${result.plan.edges.length} edges)\n`);
  return EXIT.ok;
}

/** `plan plan.json`: waves, batches, hazards. */
export async function planCommand(file: string, json: boolean, out: Out): Promise<number> {
  const result = await readPlanFile(file);
  if (!result.ok) return validateCommand(file, json, out);
  const execution = optimizePlan(result.plan);
  if (json) {
    out.write(JSON.stringify(execution, null, 2) + "\n");
    return execution.hazards.some((hazard) => hazard.severity === "error") ? EXIT.failed : EXIT.ok;
  }
  out.write(
    `Plan "${result.plan.name}": ${result.plan.nodes.length} nodes in ${execution.waves.length} waves, ${execution.batches.length} batches\n`,
  );
  execution.waves.forEach((wave, index) => {
    out.write(`\nWave ${index} (${wave.length} node${wave.length === 1 ? "" : "s"})\n`);
    const batches = execution.batches.filter((batch) => batch.wave === index);
    batches.forEach((batch, batchIndex) => {
      const last = batchIndex === batches.length - 1;
      out.write(`${last ? "└─" : "├─"} ${batch.id} [${batch.kind}${batch.atomic ? ", atomic" : ""}]\n`);
      batch.units.forEach((unit, unitIndex) => {
        const unitLast = unitIndex === batch.units.length - 1;
        const target = unit.target ? ` ${unit.target}` : "";
        out.write(
          `${last ? "   " : "│  "}${unitLast ? "└─" : "├─"} ${unit.kind === "node" ? "" : `${unit.kind}${target}: `}${unit.nodeIds.join(", ")}\n`,
        );
      });
    });
  });
  out.write(
    `\nCritical path: ${execution.criticalPath.nodeIds.join(" → ") || "(empty)"} (~${formatDuration(execution.criticalPath.estimatedMs)})\n`,
  );
  out.write(`Widest wave: ${execution.widest.wave} (${execution.widest.width} nodes)\n`);
  if (execution.hazards.length) {
    out.write(`\nHazards:\n`);
    for (const hazard of execution.hazards)
      out.write(`${hazard.severity === "error" ? "✗" : hazard.severity === "warning" ? "⚠" : "ℹ"} ${hazard.code}: ${hazard.message}\n`);
  }
  for (const note of execution.notes) out.write(`note: ${note}\n`);
  return execution.hazards.some((hazard) => hazard.severity === "error") ? EXIT.failed : EXIT.ok;
}
