import { describe, expect, it } from "vitest";
import type { NodeStatus } from "../run-events/run-events";
import { explainRollbacks, explainSkips, failureTitle, skipSentence, type ExplainedEdge } from "./failure-explanation";

const statuses = (entries: Record<string, NodeStatus>) => (id: string) => entries[id];

describe("explainSkips", () => {
  it("names the failed dependency of a skipped node, and follows a chain of skips to its failed root", () => {
    const edges: ExplainedEdge[] = [
      { from: "build", to: "test", when: "success" },
      { from: "test", to: "deploy", when: "success" },
      { from: "lint", to: "deploy", when: "success" },
    ];
    const causes = explainSkips(edges, statuses({ build: "failed", test: "skipped", deploy: "skipped", lint: "succeeded" }));
    expect(causes.get("test")).toMatchObject({ causeId: "build", rootId: "build", chain: ["test", "build"] });
    expect(causes.get("deploy")).toMatchObject({
      causeId: "test",
      causeStatus: "skipped",
      rootId: "build",
      rootStatus: "failed",
      chain: ["deploy", "test", "build"],
    });
    expect(causes.has("lint")).toBe(false);
    const label = (id: string) => ({ build: "build it", test: "run tests", deploy: "deploy" })[id] ?? id;
    expect(skipSentence(causes.get("test")!, label)).toBe("Skipped because “build it” failed");
    expect(skipSentence(causes.get("deploy")!, label)).toBe("Skipped because “run tests” was skipped, because “build it” failed");
  });

  it("explains a failure-only edge whose source succeeded", () => {
    const causes = explainSkips([{ from: "check", to: "report", when: "failure" }], statuses({ check: "succeeded", report: "skipped" }));
    expect(skipSentence(causes.get("report")!, (id) => id)).toBe("Skipped because “check” succeeded (it runs only if that one fails)");
  });

  it("prefers a failed dependency over a skipped one as the direct cause", () => {
    const edges: ExplainedEdge[] = [
      { from: "skipped-too", to: "last", when: "success" },
      { from: "broke", to: "last", when: "success" },
    ];
    const causes = explainSkips(edges, statuses({ "skipped-too": "skipped", broke: "failed", last: "skipped" }));
    expect(causes.get("last")?.causeId).toBe("broke");
  });
});

describe("failureTitle", () => {
  it("says what a code means, and keeps an unknown code readable", () => {
    expect(failureTitle({ code: "exit-code" })).toBe("The command exited with a non-zero code");
    expect(failureTitle({ code: "something-new" })).toBe("Failed (something-new)");
  });
});

describe("explainRollbacks", () => {
  it("names the batch member whose failure rolled the others back", () => {
    const causes = explainRollbacks(
      {
        w1: { status: "failed", batchId: "w0:file-change", error: { code: "batch-rolled-back" } },
        w2: { status: "failed", batchId: "w0:file-change", error: { code: "file-exists" } },
        other: { status: "failed", batchId: "w1:shell", error: { code: "exit-code" } },
      },
      {},
    );
    expect(causes.get("w1")).toBe("w2");
    expect(causes.size).toBe(1);
  });
});
