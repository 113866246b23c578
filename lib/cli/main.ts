/**
 * `batchboard` — validate, plan and run plans from the terminal; runs are
 * recorded in the configured database, so they show up in the web app.
 *
 * Each command's module is imported when that command runs, so `validate`
 * never loads the runner or the database (see scripts/build-cli.mjs).
 */
import { parseArgs } from "node:util";
import { EXIT } from "./exit-codes";

const planCommands = () => import("./plan-commands");
const runCommands = () => import("./commands");

const USAGE = `Usage: batchboard <command> [options]

Commands:
  validate PLAN.json                 Check a plan's shape and graph rules
  plan PLAN.json                     Show waves, batches, critical path and hazards
  run PLAN.json --workspace DIR      Run a plan in DIR
      [--concurrency N] [--dry-run] [--keep-background] [--json]
  run PLAN.json --server URL --token TOKEN
                                     Run it on a remote Batchboard (API token
                                     from Settings; scratch directory there)
  resume RUN_ID                      Continue an interrupted run
  retry RUN_ID [--node ID]           Re-run failed nodes (or one node and its dependents)
  undo RUN_ID [--force]              Revert a run's file changes
  mcp                                Serve MCP on stdio for coding agents (see docs/agents.md)

Options:
  --json    Print structured results (for scripts and agents)
  --help    Show this help

Exit code: 0 when everything succeeded, 1 when something failed, 2 on bad usage.`;

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        workspace: { type: "string", short: "w" },
        concurrency: { type: "string", short: "c" },
        "dry-run": { type: "boolean", default: false },
        "keep-background": { type: "boolean", default: false },
        json: { type: "boolean", default: false },
        node: { type: "string" },
        force: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
        server: { type: "string" },
        token: { type: "string" },
      },
    });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    return EXIT.usage;
  }
  const { values, positionals } = parsed;
  const [command, target] = positionals;
  if (values.help || !command) {
    process.stdout.write(USAGE + "\n");
    return values.help ? EXIT.ok : EXIT.usage;
  }
  const needTarget = (what: string) => {
    process.stderr.write(`${command} needs ${what}\n\n${USAGE}\n`);
    return EXIT.usage;
  };
  const out = process.stdout;
  switch (command) {
    case "validate":
      return target ? (await planCommands()).validateCommand(target, values.json, out) : needTarget("a plan file");
    case "plan":
      return target ? (await planCommands()).planCommand(target, values.json, out) : needTarget("a plan file");
    case "run": {
      if (!target) return needTarget("a plan file");
      const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency);
      if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256)) {
        process.stderr.write("--concurrency must be a whole number from 1 to 256\n");
        return EXIT.usage;
      }
      if (values.server) {
        if (!values.token) return needTarget("--token TOKEN with --server");
        return (await import("./remote-client")).runRemotely(target, { server: values.server, token: values.token, concurrency, dryRun: values["dry-run"], json: values.json }, out);
      }
      if (!values.workspace) return needTarget("--workspace DIR");
      return (await runCommands()).runCommand(target, { workspace: values.workspace, concurrency, dryRun: values["dry-run"], json: values.json, keepBackground: values["keep-background"] }, out);
    }
    case "resume":
      return target ? (await runCommands()).resumeCommand(target, values.json, out) : needTarget("a run id");
    case "retry":
      return target ? (await runCommands()).retryCommand(target, values.node, values.json, out) : needTarget("a run id");
    case "undo":
      return target ? (await runCommands()).undoCommand(target, values.force, values.json, out) : needTarget("a run id");
    case "mcp":
      return (await import("./mcp-command")).mcpCommand();
    default:
      process.stderr.write(`Unknown command "${command}"\n\n${USAGE}\n`);
      return EXIT.usage;
  }
}

let exitCode: number;
try {
  exitCode = await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`batchboard: ${error instanceof Error ? error.message : String(error)}\n`);
  exitCode = EXIT.failed;
}
// Exit now: kept background commands (--keep-background) must not hold the CLI open.
process.exit(exitCode);
