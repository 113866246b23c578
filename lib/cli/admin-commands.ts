/**
 * Setting up without a browser: `setup` (the first owner and team, the
 * password read from stdin), `token create` (an API token with a role) and
 * `workspace add` (a workspace directory). They act on the local database as
 * its first team's owner, like every CLI command.
 */
import { text } from "node:stream/consumers";
import path from "node:path";
import { RoleName, SetupInput } from "../auth/schemas";
import { addMember, changeMemberRole, findMembership } from "../db/teams";
import { findOrCreateServiceUser } from "../db/users";
import { registerWorkspace } from "../db/workspaces";
import { loadEnv, workspacePlacementOf } from "../env";
import { completeSetup } from "../server/account-service";
import { issueApiToken } from "../server/team-admin";
import type { CliContext } from "./cli-database";
import { withContext } from "./commands";
import { EXIT, type Out } from "./exit-codes";

const ownerOf = (context: CliContext) => ({
  userId: context.firstStart.owner.id,
  teamId: context.firstStart.team.id,
  role: "owner" as const,
  via: "token" as const,
});

/** `setup --email E --name N --team T`, the password on stdin (`echo "$PASSWORD" | batchboard setup …`). */
export async function setupCommand(options: { email?: string; name?: string; team?: string; json: boolean }, out: Out): Promise<number> {
  if (process.stdin.isTTY) process.stderr.write("Password (then Enter and Ctrl-D): ");
  const password = (await text(process.stdin)).replace(/\r?\n$/, "");
  const parsed = SetupInput.safeParse({ email: options.email, name: options.name, teamName: options.team, password });
  if (!parsed.success) {
    const flag: Record<string, string> = { email: "--email", name: "--name", teamName: "--team", password: "the password on stdin" };
    for (const issue of parsed.error.issues)
      process.stderr.write(`✗ ${flag[String(issue.path[0])] ?? String(issue.path[0])}: ${issue.message}\n`);
    return EXIT.usage;
  }
  return withContext(async (context) => {
    // Run on the server's own machine: no setup code is asked for.
    const local = { clientAddress: "127.0.0.1", setupCode: "" };
    const { userId, teamId } = await completeSetup(
      (await context.database()).client,
      { ownerId: context.firstStart.owner.id, teamId: context.firstStart.team.id },
      parsed.data,
      local,
    );
    if (options.json) out.write(`${JSON.stringify({ userId, teamId, email: parsed.data.email, team: parsed.data.teamName })}\n`);
    else
      out.write(`✓ ${parsed.data.name} <${parsed.data.email}> owns team "${parsed.data.teamName}"; sign in with that email and password\n`);
    return EXIT.ok;
  });
}

/**
 * `token create --name NAME [--role ROLE]`. An owner token belongs to the
 * owner; a token with another role belongs to a member of the team that
 * exists only for tokens (no password), so it acts with exactly that role.
 */
export async function createTokenCommand(options: { name?: string; role?: string; json: boolean }, out: Out): Promise<number> {
  const name = options.name?.trim();
  if (!name || name.length > 100) {
    process.stderr.write("token create needs --name NAME (1–100 characters)\n");
    return EXIT.usage;
  }
  const role = RoleName.safeParse(options.role ?? "owner");
  if (!role.success) {
    process.stderr.write(`--role must be one of ${RoleName.options.join(", ")}\n`);
    return EXIT.usage;
  }
  return withContext(async (context) => {
    const { client } = await context.database();
    const owner = ownerOf(context);
    let caller: { userId: string; teamId: string; role: RoleName; via: "token" } = owner;
    if (role.data !== "owner") {
      const slug =
        name
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, "-")
          .replace(/^-|-$/g, "") || "token";
      const user = await findOrCreateServiceUser(client, {
        email: `${slug}.${role.data}@tokens.batchboard.local`,
        name: `${name} (${role.data} token)`,
      });
      const membership = await findMembership(client, owner.teamId, user.id);
      if (!membership) await addMember(client, owner.teamId, user.id, role.data);
      else if (membership.role !== role.data) await changeMemberRole(client, owner.teamId, user.id, role.data);
      caller = { userId: user.id, teamId: owner.teamId, role: role.data, via: "token" };
    }
    const token = await issueApiToken(client, caller, name);
    if (options.json) out.write(`${JSON.stringify({ id: token.id, name: token.name, role: role.data, token: token.secret })}\n`);
    else out.write(`${token.secret}\n`);
    if (!options.json)
      process.stderr.write(`✓ API token "${token.name}" (${role.data}) for team "${context.firstStart.team.name}"; it is shown only now\n`);
    return EXIT.ok;
  });
}

/** `workspace add NAME [--path DIR]`: a new directory under the workspace root, or an existing one. */
export async function addWorkspaceCommand(name: string, options: { path?: string; json: boolean }, out: Out): Promise<number> {
  return withContext(async (context) => {
    const { client } = await context.database();
    const teamId = context.firstStart.team.id;
    const source = options.path ? { kind: "existing" as const, directory: path.resolve(options.path) } : { kind: "new" as const };
    const workspace = await registerWorkspace(client, teamId, { name, source }, workspacePlacementOf(loadEnv()));
    if (options.json) out.write(`${JSON.stringify({ id: workspace.id, name: workspace.name, directory: workspace.directory })}\n`);
    else out.write(`✓ Workspace "${workspace.name}" (${workspace.id}) at ${workspace.directory}\n`);
    return EXIT.ok;
  });
}
