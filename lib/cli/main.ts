/**
 * `batchboard` — validate, plan and run plans from the terminal; runs are
 * recorded in the configured database, so they show up in the web app.
 *
 * Each command's module is imported when that command runs, so `validate`
 * never loads the runner or the database (see scripts/build-cli.mjs).
 */
import { parseArgs } from "node:util";
import { MAX_RUN_CONCURRENCY, MIN_RUN_CONCURRENCY } from "../plan/run-concurrency";
import { EXIT } from "./exit-codes";
import { standardOutput } from "./standard-output";

const planCommands = () => import("./plan-commands");
const runCommands = () => import("./commands");

const USAGE = `Usage: batchboard <command> [options]

Commands:
  validate PLAN.json                 Check a plan's shape and graph rules
  plan PLAN.json                     Show waves, batches, critical path and hazards
  run PLAN.json --workspace DIR      Run a plan in DIR
      [--concurrency N] [--dry-run] [--keep-background] [--json]
  run --calls CALLS.json --workspace DIR [--name NAME]
                                     Compile a batch of Write/Edit/MultiEdit/Read/Grep/Bash
                                     tool calls into a plan (stored as NAME) and run it
  run PLAN.json --server URL --token TOKEN [--workspace NAME]
                                     Run it on a remote Batchboard (in the team's workspace
                                     NAME, else a scratch directory there); --calls works too
  resume RUN_ID                      Continue an interrupted run
  retry RUN_ID [--node ID]           Re-run failed nodes (or one node and its dependents)
  retry RUN_ID --plan FIXED.json     Retry with a revised plan: failed, skipped and changed
                                     nodes and their dependents run, unchanged successes are reused
  undo RUN_ID [--force]              Revert a run's file changes
  mcp                                Serve MCP on stdio for coding agents (see docs/agents.md)
  setup --email E --name N --team T  Set up the first owner and team; the password is read from stdin
  token create --name NAME [--role ROLE]
                                     Print a new API token (owner, editor, runner or viewer)
  workspace add NAME [--path DIR]    Register a workspace: a new directory, or the existing DIR

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
        calls: { type: "string" },
        plan: { type: "string" },
        name: { type: "string" },
        email: { type: "string" },
        team: { type: "string" },
        role: { type: "string" },
        path: { type: "string" },
      },
    });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    return EXIT.usage;
  }
  const { values, positionals } = parsed;
  const [command, target] = positionals;
  if (values.help || !command) {
    standardOutput.write(USAGE + "\n");
    return values.help ? EXIT.ok : EXIT.usage;
  }
  const needTarget = (what: string) => {
    process.stderr.write(`${command} needs ${what}\n\n${USAGE}\n`);
    return EXIT.usage;
  };
  const out = standardOutput;
  switch (command) {
    case "validate":
      return target ? (await planCommands()).validateCommand(target, values.json, out) : needTarget("a plan file");
    case "plan":
      return target ? (await planCommands()).planCommand(target, values.json, out) : needTarget("a plan file");
    case "run": {
      const file = values.calls ?? target;
      if (!file) return needTarget("a plan file (or --calls CALLS.json)");
      const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency);
      if (
        concurrency !== undefined &&
        (!Number.isInteger(concurrency) || concurrency < MIN_RUN_CONCURRENCY || concurrency > MAX_RUN_CONCURRENCY)
      ) {
        process.stderr.write(`--concurrency must be a whole number from ${MIN_RUN_CONCURRENCY} to ${MAX_RUN_CONCURRENCY}\n`);
        return EXIT.usage;
      }
      if (values.server) {
        if (!values.token) return needTarget("--token TOKEN with --server");
        const remote = {
          server: values.server,
          token: values.token,
          workspace: values.workspace,
          calls: values.calls !== undefined,
          name: values.name,
        };
        return (await import("./remote-client")).runRemotely(
          file,
          { ...remote, concurrency, dryRun: values["dry-run"], json: values.json },
          out,
        );
      }
      if (!values.workspace) return needTarget("--workspace DIR");
      const options = {
        workspace: values.workspace,
        concurrency,
        dryRun: values["dry-run"],
        json: values.json,
        keepBackground: values["keep-background"],
      };
      if (values.calls !== undefined)
        return (await import("./agent-commands")).runCallsCommand(values.calls, { ...options, name: values.name }, out);
      return (await runCommands()).runCommand(file, options, out);
    }
    case "resume":
      return target ? (await runCommands()).resumeCommand(target, values.json, out) : needTarget("a run id");
    case "retry":
      if (!target) return needTarget("a run id");
      if (values.plan !== undefined) return (await import("./agent-commands")).retryWithPlanCommand(target, values.plan, values.json, out);
      return (await runCommands()).retryCommand(target, values.node, values.json, out);
    case "setup":
      return (await import("./admin-commands")).setupCommand(
        { email: values.email, name: values.name, team: values.team, json: values.json },
        out,
      );
    case "token":
      if (target !== "create") return needTarget('"create"');
      return (await import("./admin-commands")).createTokenCommand({ name: values.name, role: values.role, json: values.json }, out);
    case "workspace": {
      const name = positionals[2];
      if (target !== "add" || !name) return needTarget('"add NAME"');
      return (await import("./admin-commands")).addWorkspaceCommand(name, { path: values.path, json: values.json }, out);
    }
    case "undo":
      return target ? (await runCommands()).undoCommand(target, values.force, values.json, out) : needTarget("a run id");
    case "mcp":
      return (await import("./mcp-command")).mcpCommand();
    default:
      process.stderr.write(`Unknown command "${command}"\n\n${USAGE}\n`);
      return EXIT.usage;
  }
}

main(process.argv.slice(2))
  .catch((error: unknown) => {
    process.stderr.write(`batchboard: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.failed;
  })
  // Exit now: kept background commands (--keep-background) must not hold the CLI open.
  .then((exitCode) => process.exit(exitCode));
