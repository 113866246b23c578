/**
 * The CLI's early sandbox, with the real bubblewrap launcher and the real
 * runner: the run it was started for opens exactly it, under the chosen id.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createSandboxLauncher } from "../runner/sandbox/bubblewrap";
import type { CommandLauncher, RunCommandsRequest } from "../runner/sandbox/run-commands";
import { memoryResources, plan, runPlan, temporaryDirectory } from "../runner/testing/harness";
import { startEarlySandbox } from "./early-sandbox";

const data = temporaryDirectory("batchboard-early-sandbox-");
afterAll(() => data.cleanup());

/** The real launcher, with the requests it is asked to prepare and to open written down. */
function recordingLauncher() {
  const launcher = createSandboxLauncher({
    helperCacheDirectory: path.join(data.dir, "bin"),
    stateDirectory: path.join(data.dir, "sandboxes"),
  });
  const prepared: RunCommandsRequest[] = [];
  const opened: RunCommandsRequest[] = [];
  const commands: CommandLauncher = {
    sandboxed: launcher.sandboxed,
    prepareRun: (request) => (prepared.push(request), launcher.prepareRun(request)),
    openRun: (request) => (opened.push(request), launcher.openRun(request)),
    discardRun: (runId) => launcher.discardRun(runId),
    close: () => launcher.close(),
  };
  return { commands, prepared, opened };
}

const withCommand = plan({
  nodes: [{ id: "s", type: "shell", params: { command: "echo inside" } }],
  settings: { concurrency: 3 },
});

describe.runIf(existsSync("/usr/bin/bwrap"))("a CLI run's early sandbox", () => {
  it.each([
    ["the plan's concurrency", undefined],
    ["--concurrency", 5],
  ])("is the one its run opens, with %s", async (_, concurrency) => {
    const { commands, prepared, opened } = recordingLauncher();
    const sandbox = startEarlySandbox(commands, withCommand, data.dir, { dryRun: false, concurrency });
    expect(sandbox).not.toBeNull();
    const { outcome } = await runPlan(memoryResources({}, commands), withCommand, data.dir, { runId: sandbox?.runId, concurrency });
    expect(outcome.status).toBe("succeeded");
    expect(outcome.runId).toBe(sandbox?.runId);
    expect(opened).toEqual(prepared);
    expect(sandbox?.discard()).toBe(false);
  });

  it("is not started for a dry run, a plan without commands, or a directory that does not exist", () => {
    const { commands, prepared } = recordingLauncher();
    expect(startEarlySandbox(commands, withCommand, data.dir, { dryRun: true })).toBeNull();
    const filesOnly = plan({ nodes: [{ id: "w", type: "file.write", params: { path: "a.txt", content: "a" } }] });
    expect(startEarlySandbox(commands, filesOnly, data.dir, { dryRun: false })).toBeNull();
    expect(startEarlySandbox(commands, withCommand, path.join(data.dir, "missing"), { dryRun: false })).toBeNull();
    expect(prepared).toEqual([]);
  });
});
