import { describe, expect, it } from "vitest";
import type { NodeOutcome } from "../runner/scheduler";
import { batchFooter, runSummaryLine } from "./progress-view";

describe("batchFooter", () => {
  it("never prints a green done for a batch whose only node was skipped", () => {
    expect(batchFooter("shell", ["skipped"], " in 1ms")).toBe("⊘ 1 command not run (skipped)");
    expect(batchFooter("shell", ["succeeded", "skipped"], "")).toBe("✅ 1 of 2 commands done, 1 not run");
    expect(batchFooter("shell", ["failed", "skipped"], "")).toBe("❌ 1 of 2 commands failed, 1 not run");
    expect(batchFooter("file-change", ["succeeded", "succeeded"], " in 2ms")).toBe("✅ 2 file changes done in 2ms");
  });
});

describe("runSummaryLine", () => {
  it("counts a reused node once, within the successes", () => {
    const nodes = new Map<string, NodeOutcome>([
      ["write", { status: "succeeded", attempt: 1, reused: true } as NodeOutcome],
      ["check", { status: "failed", attempt: 1 } as NodeOutcome],
      ["after", { status: "skipped", attempt: 0 } as NodeOutcome],
    ]);
    const counts = { total: 3, pending: 0, running: 0, succeeded: 1, failed: 1, skipped: 1, cancelled: 0, interrupted: 0 };
    const line = runSummaryLine({ runId: "r1", status: "failed", counts, nodes }, 1200);
    expect(line).toContain("1 succeeded (1 reused from the earlier run) · 1 failed · 1 skipped in 1.2s");
    expect(line).not.toMatch(/· 1 reused/);
  });
});
