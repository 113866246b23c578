/**
 * A run and its retries form one lineage: "retry failed" and "retry this
 * node" start a child run whose attempts the runner numbers from 1 again.
 * These helpers number attempts across the lineage and order a runs list so
 * that each lineage reads as one group.
 */

/** One node's record in an earlier run of the lineage. */
export interface AncestorNodeRun {
  nodeId: string;
  attempt: number;
  /** Carried over from that run's own parent: its attempts are already counted there. */
  reused: boolean;
}

/**
 * How many attempts each node made in the earlier runs of a lineage, so a
 * retry's attempt 1 of a node tried twice before shows as attempt 3.
 *
 * @example
 * attemptsBefore([[{ nodeId: "check", attempt: 2, reused: false }]]).get("check"); // 2
 */
export function attemptsBefore(ancestors: readonly (readonly AncestorNodeRun[])[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const nodes of ancestors) {
    for (const node of nodes) if (!node.reused) counts.set(node.nodeId, (counts.get(node.nodeId) ?? 0) + node.attempt);
  }
  return counts;
}

export interface LineageMember {
  id: string;
  parentRunId: string | null;
}

export interface LineageRow<Run extends LineageMember> {
  run: Run;
  /** 0 for the lineage's first run, n for its n-th retry. */
  generation: number;
  /** The id of the lineage's first run in the list. */
  rootId: string;
}

/**
 * Orders runs (newest first) so that each retry follows its parent, the
 * lineage with the newest run first, and says how deep each retry is. A parent missing from the
 * list (filtered out, or past the page) makes its child a root here.
 */
export function groupLineages<Run extends LineageMember>(runs: readonly Run[]): LineageRow<Run>[] {
  const byId = new Map(runs.map((run) => [run.id, run]));
  const children = new Map<string, Run[]>();
  const roots: Run[] = [];
  for (const run of runs) {
    if (run.parentRunId && byId.has(run.parentRunId)) children.set(run.parentRunId, [...(children.get(run.parentRunId) ?? []), run]);
    else roots.push(run);
  }
  // A lineage is as recent as its newest run.
  const rootOf = (run: Run): Run => {
    let current = run;
    while (current.parentRunId && byId.has(current.parentRunId)) current = byId.get(current.parentRunId) as Run;
    return current;
  };
  const order = new Map<string, number>();
  runs.forEach((run, index) => {
    const root = rootOf(run).id;
    if (!order.has(root)) order.set(root, index);
  });
  roots.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
  const rows: LineageRow<Run>[] = [];
  const visit = (run: Run, generation: number, rootId: string) => {
    rows.push({ run, generation, rootId });
    // Oldest retry first inside a lineage, so it reads as attempt 1, 2, 3.
    for (const child of [...(children.get(run.id) ?? [])].reverse()) visit(child, generation + 1, rootId);
  };
  for (const root of roots) visit(root, 0, root.id);
  return rows;
}
