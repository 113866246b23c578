/**
 * Child-process fixture for the memory test: runs a command that prints
 * `BYTES` bytes through the full runner (scheduler, events, persistence on a
 * memory store) and prints the outcome with the process's peak RSS.
 * Usage: node --import tsx lib/runner/testing/flood-output.ts DIR BYTES
 */
import { memoryResources, plan, runPlan } from "./harness";

const [directory, bytes] = process.argv.slice(2);
const resources = memoryResources();
const document = plan({ nodes: [{ id: "flood", type: "shell", params: { command: `head -c ${Number(bytes)} /dev/zero | tr '\\0' a` } }] });
const { outcome } = await runPlan(resources, document, directory as string);
const node = outcome.nodes.get("flood");
const result = node?.result as { stdout: { bytes: number; truncated: boolean; tail: string } };
const storedChars = resources.events.reduce((sum, event) => sum + (event.type === "node.output" ? event.data.length : 0), 0);
console.log(
  JSON.stringify({
    status: outcome.status,
    stdoutBytes: result.stdout.bytes,
    truncated: result.stdout.truncated,
    tailLength: result.stdout.tail.length,
    storedChars,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
