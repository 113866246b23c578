/**
 * Groups each wave's units into batches by operation family. Nodes in one
 * wave have no path between them (their waves would differ otherwise), so
 * any grouping within a wave is safe; the grouping decides what runs as one
 * operation (one atomic file change set, one search pass).
 */
import type * as z from "zod";
import type { OperationType, PlanSettings, SearchNode } from "./schema";
import type { Batch, BatchKind, BatchUnit } from "./execution-plan";
import type { PlanGraph } from "./plan-graph";
import type { WaveSchedule } from "./schedule-waves";
import { normalizeWorkspacePath } from "./workspace-path";

const KIND_OF_TYPE: Record<OperationType, BatchKind> = {
  "file.write": "file-change",
  "file.edit": "file-change",
  "file.delete": "file-change",
  "file.move": "file-change",
  "file.read": "file-read",
  search: "search",
  shell: "shell",
};

const KIND_ORDER: readonly BatchKind[] = ["file-change", "file-read", "search", "shell"];

/** The batch kind an operation type belongs to. */
export function batchKindOf(type: OperationType): BatchKind {
  return KIND_OF_TYPE[type];
}

/** Builds the batches of every wave, in wave order then kind order. */
export function buildBatches(
  planGraph: PlanGraph,
  schedule: WaveSchedule,
  settings: Pick<PlanSettings, "batching" | "fileBatchMode">,
): Batch[] {
  const { nodes, ids } = planGraph;
  const batches: Batch[] = [];
  schedule.waves.forEach((waveNodes, wave) => {
    const grouped = new Map<BatchKind, BatchUnit[]>();
    const isolated: Batch[] = [];
    // Search nodes of this wave by glob, to merge searches over the same files into one pass.
    const passes = new Map<string, BatchUnit>();

    for (const node of waveNodes) {
      if (schedule.unitOf[node] !== node) continue; // a later member of a unit: listed with its root
      const first = nodes[node];
      if (first === undefined) continue;
      const kind = batchKindOf(first.type);
      const members = schedule.members.get(node);
      const memberIds = members === undefined ? [first.id] : members.map((member) => ids[member] as string);

      if (!settings.batching || first.checkpoint) {
        isolated.push({
          id: `w${wave}:${kind}:${first.id}`,
          kind,
          wave,
          nodeIds: memberIds,
          atomic: false,
          units: [{ kind: "node", nodeIds: memberIds }],
        });
        continue;
      }

      let units = grouped.get(kind);
      if (units === undefined) grouped.set(kind, (units = []));
      if (first.type === "search") {
        const params = (first as z.infer<typeof SearchNode>).params;
        const glob = normalizeGlob(params.glob);
        // One pass walks one set of files: the same glob under the same ignore rules.
        const key = `${params.hidden ? "h" : "-"}${params.noIgnore ? "i" : "-"}${glob}`;
        const pass = passes.get(key);
        if (pass !== undefined) {
          pass.kind = "search-pass";
          pass.target = glob;
          pass.nodeIds.push(first.id);
          continue;
        }
        const unit: BatchUnit = { kind: "node", nodeIds: [first.id] };
        passes.set(key, unit);
        units.push(unit);
        continue;
      }
      if (members !== undefined && first.type === "file.edit") {
        units.push({ kind: "multi-edit", nodeIds: memberIds, target: normalizeWorkspacePath(first.params.path) ?? first.params.path });
      } else units.push({ kind: "node", nodeIds: memberIds });
    }

    for (const kind of KIND_ORDER) {
      const units = grouped.get(kind);
      if (units === undefined || units.length === 0) continue;
      batches.push({
        id: `w${wave}:${kind}`,
        kind,
        wave,
        nodeIds: units.flatMap((unit) => unit.nodeIds),
        atomic: kind === "file-change" && settings.fileBatchMode === "atomic",
        units,
      });
    }
    batches.push(...isolated);
  });
  return batches;
}

/** `./src/**` and `src/**` search the same files. */
function normalizeGlob(glob: string): string {
  return glob.replace(/\\/g, "/").replace(/^(\.\/)+/, "");
}
