/**
 * Property tests over random DAG plans: invariants the runner and the editor
 * rely on, checked against brute-force reference computations.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { optimizePlan } from "./optimize-plan";
import { ExecutionPlan } from "./execution-plan";
import { PlanDocument, type PlanEdge } from "./schema";
import { estimateDuration } from "./duration-estimates";
import { normalizeWorkspacePath } from "./workspace-path";
import type { NodeInput } from "./testing/plan-builders";

const FILES = ["a.ts", "./a.ts", "src/b.ts", "src/c.ts"];
const GLOBS = ["**/*", "src/**", "lib/**"];

const nodeSpec = fc.record({
  kind: fc.constantFrom("write", "edit", "edit", "edit", "delete", "move", "read", "search", "search", "shell"),
  file: fc.nat(FILES.length - 1),
  other: fc.nat(FILES.length - 1),
  glob: fc.nat(GLOBS.length - 1),
  checkpoint: fc.integer({ min: 0, max: 9 }).map((roll) => roll < 2),
});
type NodeSpec = typeof nodeSpec extends fc.Arbitrary<infer T> ? T : never;

function toNode(id: string, spec: NodeSpec): NodeInput {
  const path = FILES[spec.file] as string;
  const common = { id, checkpoint: spec.checkpoint };
  switch (spec.kind) {
    case "write":
      return { ...common, type: "file.write", params: { path, content: id } };
    case "edit":
      return { ...common, type: "file.edit", params: { path, edits: [{ find: "x", replace: id }] } };
    case "delete":
      return { ...common, type: "file.delete", params: { path } };
    case "move":
      return { ...common, type: "file.move", params: { from: path, to: FILES[spec.other] as string } };
    case "read":
      return { ...common, type: "file.read", params: { paths: [path] } };
    case "search":
      return { ...common, type: "search", params: { pattern: "x", glob: GLOBS[spec.glob] as string } };
    default:
      return { ...common, type: "shell", params: { command: `echo ${id}` } };
  }
}

/** A random plan whose edges go from a lower to a higher rank (so it is acyclic), nodes in shuffled document order. */
const randomDag = fc
  .integer({ min: 1, max: 24 })
  .chain((count) =>
    fc.record({
      specs: fc.array(nodeSpec, { minLength: count, maxLength: count }),
      pairs: fc.array(
        fc.tuple(
          fc.nat(Math.max(0, count - 1)),
          fc.nat(Math.max(0, count - 1)),
          fc.constantFrom("success", "success", "success", "failure", "always"),
        ),
        {
          maxLength: count * 3,
        },
      ),
      order: fc.shuffledSubarray(
        Array.from({ length: count }, (_, index) => index),
        { minLength: count, maxLength: count },
      ),
      batching: fc.boolean(),
      fileBatchMode: fc.constantFrom("atomic", "independent"),
    }),
  )
  .map(({ specs, pairs, order, batching, fileBatchMode }) => {
    const nodes = order.map((rank) => toNode(`n${rank}`, specs[rank] as NodeSpec));
    const seen = new Set<string>();
    const edges: { from: string; to: string; when: PlanEdge["when"] }[] = [];
    for (const [x, y, when] of pairs) {
      if (x === y) continue;
      const [from, to] = x < y ? [x, y] : [y, x];
      if (seen.has(`${from}-${to}`)) continue;
      seen.add(`${from}-${to}`);
      edges.push({ from: `n${from}`, to: `n${to}`, when: when as PlanEdge["when"] });
    }
    return PlanDocument.parse({ name: "random", nodes, edges, settings: { batching, fileBatchMode } });
  });

/** Brute-force reachability: reaches.get(a).has(b) when a path a → … → b exists. */
function reachability(plan: PlanDocument): Map<string, Set<string>> {
  const successors = new Map(plan.nodes.map((node) => [node.id, [] as string[]]));
  for (const edge of plan.edges) successors.get(edge.from)?.push(edge.to);
  const result = new Map<string, Set<string>>();
  for (const node of plan.nodes) {
    const seen = new Set<string>();
    const stack = [...(successors.get(node.id) ?? [])];
    while (stack.length > 0) {
      const next = stack.pop() as string;
      if (seen.has(next)) continue;
      seen.add(next);
      stack.push(...(successors.get(next) ?? []));
    }
    result.set(node.id, seen);
  }
  return result;
}

const RUNS = { numRuns: 300 };

describe("optimizePlan properties", () => {
  it("puts every node in exactly one wave and one batch", () => {
    fc.assert(
      fc.property(randomDag, (plan) => {
        const result = optimizePlan(plan);
        const ids = plan.nodes.map((node) => node.id).sort();
        expect(result.waves.flat().sort()).toEqual(ids);
        expect(result.batches.flatMap((batch) => batch.nodeIds).sort()).toEqual(ids);
        for (const batch of result.batches) {
          expect(batch.units.flatMap((unit) => unit.nodeIds)).toEqual(batch.nodeIds);
          for (const id of batch.nodeIds) expect(result.batchIdOf[id]).toBe(batch.id);
          for (const id of batch.nodeIds) expect(result.waves[batch.wave]).toContain(id);
        }
        expect(new Set(result.batches.map((batch) => batch.id)).size).toBe(result.batches.length);
        expect(ExecutionPlan.safeParse(result).success).toBe(true);
      }),
      RUNS,
    );
  });

  it("sends every edge from an earlier wave to a later one, except inside a multi-edit", () => {
    fc.assert(
      fc.property(randomDag, (plan) => {
        const result = optimizePlan(plan);
        const waveOf = new Map(result.waves.flatMap((wave, index) => wave.map((id) => [id, index] as const)));
        const unitOf = new Map(
          result.batches.flatMap((batch) => batch.units.flatMap((unit) => unit.nodeIds.map((id) => [id, unit] as const))),
        );
        for (const edge of plan.edges) {
          const unit = unitOf.get(edge.from);
          if (unit !== undefined && unit === unitOf.get(edge.to) && unit.kind === "multi-edit") {
            expect(unit.nodeIds.indexOf(edge.from)).toBeLessThan(unit.nodeIds.indexOf(edge.to));
          } else expect(waveOf.get(edge.from) as number).toBeLessThan(waveOf.get(edge.to) as number);
        }
      }),
      RUNS,
    );
  });

  it("never batches two nodes with a path between them, except a multi-edit in dependency order", () => {
    fc.assert(
      fc.property(randomDag, (plan) => {
        const result = optimizePlan(plan);
        const reaches = reachability(plan);
        for (const batch of result.batches) {
          for (const unit of batch.units) {
            if (unit.kind === "multi-edit") {
              unit.nodeIds.forEach((id, index) => {
                for (const later of unit.nodeIds.slice(index + 1)) expect(reaches.get(later)?.has(id)).toBe(false);
              });
            }
          }
          batch.units.forEach((unit, index) => {
            for (const other of batch.units.slice(index + 1)) {
              for (const a of unit.nodeIds) {
                for (const b of other.nodeIds) {
                  expect(reaches.get(a)?.has(b) || reaches.get(b)?.has(a)).toBe(false);
                }
              }
            }
          });
        }
      }),
      RUNS,
    );
  });

  it("merges only non-checkpoint edits of one file, and isolates checkpoints", () => {
    fc.assert(
      fc.property(randomDag, (plan) => {
        const result = optimizePlan(plan);
        const nodeOf = new Map(plan.nodes.map((node) => [node.id, node]));
        for (const batch of result.batches) {
          for (const unit of batch.units) {
            if (unit.kind === "multi-edit") {
              expect(plan.settings.batching).toBe(true);
              const paths = unit.nodeIds.map((id) => {
                const node = nodeOf.get(id);
                expect(node?.type).toBe("file.edit");
                expect(node?.checkpoint).toBe(false);
                return node?.type === "file.edit" ? normalizeWorkspacePath(node.params.path) : null;
              });
              expect(new Set(paths).size).toBe(1);
              expect(unit.target).toBe(paths[0]);
            }
            if (unit.kind === "search-pass") {
              const globs = unit.nodeIds.map((id) => {
                const node = nodeOf.get(id);
                return node?.type === "search" ? node.params.glob : null;
              });
              expect(new Set(globs).size).toBe(1);
            }
          }
          const hasCheckpoint = batch.nodeIds.some((id) => nodeOf.get(id)?.checkpoint);
          if (hasCheckpoint || !plan.settings.batching) expect(batch.nodeIds).toHaveLength(1);
          if (batch.atomic) expect(batch.kind === "file-change" && plan.settings.fileBatchMode === "atomic").toBe(true);
        }
      }),
      RUNS,
    );
  });

  it("finds a critical path that is a real, longest path", () => {
    fc.assert(
      fc.property(randomDag, (plan) => {
        const { criticalPath } = optimizePlan(plan);
        const nodeOf = new Map(plan.nodes.map((node) => [node.id, node]));
        const estimate = (id: string) => {
          const node = nodeOf.get(id);
          return node === undefined ? 0 : estimateDuration(id, node.type, {});
        };
        const edgeSet = new Set(plan.edges.map((edge) => `${edge.from}\u0000${edge.to}`));
        criticalPath.nodeIds.slice(1).forEach((id, index) => expect(edgeSet.has(`${criticalPath.nodeIds[index]}\u0000${id}`)).toBe(true));
        expect(criticalPath.estimatedMs).toBe(criticalPath.nodeIds.reduce((sum, id) => sum + estimate(id), 0));
        // Reference: longest path by memoised search.
        const memo = new Map<string, number>();
        const longestFrom = (id: string): number => {
          const known = memo.get(id);
          if (known !== undefined) return known;
          const next = plan.edges.filter((edge) => edge.from === id).map((edge) => longestFrom(edge.to));
          const value = estimate(id) + Math.max(0, ...next);
          memo.set(id, value);
          return value;
        };
        expect(criticalPath.estimatedMs).toBe(Math.max(0, ...plan.nodes.map((node) => longestFrom(node.id))));
      }),
      RUNS,
    );
  });

  it("reports hazards that are real, with fixes that are safe", () => {
    fc.assert(
      fc.property(randomDag, (plan) => {
        const result = optimizePlan(plan);
        const reaches = reachability(plan);
        const ordered = (a: string, b: string) => Boolean(reaches.get(a)?.has(b) || reaches.get(b)?.has(a));
        for (const hazard of result.hazards) {
          if (hazard.code === "unordered-writes" || hazard.code === "read-write-race") {
            const [a, b] = hazard.nodeIds as [string, string];
            expect(ordered(a, b)).toBe(false);
            // Adding the suggested edge between unordered nodes cannot create a cycle.
            expect(hazard.fix?.kind).toBe("add-edge");
          }
          if (hazard.code === "implied-edge") {
            const edge = plan.edges.find((candidate) => `${candidate.from}->${candidate.to}` === hazard.edgeId) as PlanEdge;
            expect(edge.when).not.toBe("failure");
            const without = { ...plan, edges: plan.edges.filter((candidate) => candidate !== edge) };
            expect(reachability(without).get(edge.from)?.has(edge.to)).toBe(true);
          }
        }
      }),
      RUNS,
    );
  });

  it("reports every file with unordered writers", () => {
    fc.assert(
      fc.property(randomDag, (plan) => {
        const result = optimizePlan(plan);
        const reaches = reachability(plan);
        const writers = new Map<string, string[]>();
        for (const node of plan.nodes) {
          const paths =
            node.type === "file.move"
              ? [node.params.from, node.params.to]
              : node.type === "file.write" || node.type === "file.edit" || node.type === "file.delete"
                ? [node.params.path]
                : [];
          for (const path of new Set(paths.map((raw) => normalizeWorkspacePath(raw) as string)))
            writers.set(path, [...(writers.get(path) ?? []), node.id]);
        }
        const reported = new Set(result.hazards.filter((hazard) => hazard.code === "unordered-writes").map((hazard) => hazard.path));
        for (const [path, ids] of writers) {
          const hasUnorderedPair = ids.some((a, index) =>
            ids.slice(index + 1).some((b) => !reaches.get(a)?.has(b) && !reaches.get(b)?.has(a)),
          );
          expect(reported.has(path)).toBe(hasUnorderedPair);
        }
      }),
      RUNS,
    );
  });

  it("reports as never running only nodes that no outcome lets run", () => {
    const small = randomDag.filter((plan) => plan.nodes.length <= 10 && plan.edges.some((edge) => edge.when === "failure"));
    fc.assert(
      fc.property(small, (plan) => {
        const stuck = new Set(
          optimizePlan(plan)
            .hazards.filter((hazard) => hazard.code === "never-runs")
            .flatMap((hazard) => hazard.nodeIds),
        );
        if (stuck.size === 0) return;
        // Every combination of outcomes for the nodes that run: none may run a stuck node.
        const ids = plan.nodes.map((node) => node.id);
        const incoming = new Map(ids.map((id) => [id, plan.edges.filter((edge) => edge.to === id)]));
        const topo = optimizePlan(plan).waves.flat();
        for (let outcomes = 0; outcomes < 1 << ids.length; outcomes++) {
          const state = new Map<string, "succeeded" | "failed" | "skipped">();
          for (const id of topo) {
            const runs = (incoming.get(id) ?? []).every((edge) => {
              const source = state.get(edge.from);
              if (edge.when === "success") return source === "succeeded";
              if (edge.when === "failure") return source === "failed";
              return true;
            });
            const fails = ((outcomes >> ids.indexOf(id)) & 1) === 1;
            state.set(id, !runs ? "skipped" : fails ? "failed" : "succeeded");
          }
          for (const id of stuck) expect(state.get(id)).toBe("skipped");
        }
      }),
      { numRuns: 150 },
    );
  });
});
