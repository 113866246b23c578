/**
 * Registered workspace directories of a team: registered as a new directory
 * or an existing one (a checkout already under the root), renamed, archived
 * (history stays, no new runs), each with its sandbox settings.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { WorkspaceSandboxSettings } from "../runner/sandbox/sandbox-settings";
import { ConflictError, DomainError, NotFoundError } from "./errors";
import { toJsonColumn } from "./json";
import { translated, type DbExecutor } from "./transaction";
import { assertExistingDirectory, directoriesOverlap, resolveWorkspaceDirectory, type WorkspacePlacement } from "./workspace-directory";

export type { WorkspacePlacement } from "./workspace-directory";

/** Workspace names are short identifiers; a new workspace's directory is named after it. */
const WORKSPACE_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

function assertWorkspaceName(name: string): void {
  if (!WORKSPACE_NAME.test(name)) {
    throw new DomainError("invalid", "Invalid workspace name", {
      name: ["Use lower-case letters, digits and '-', starting with a letter or digit"],
    });
  }
}

/** What to register: a new directory `<root>/<team>/<name>`, or an existing directory inside the root. */
export type WorkspaceSource = { kind: "new" } | { kind: "existing"; directory: string };

/**
 * A directory another team already uses, or another team's own folder under
 * the root, would let this team's runs read and write that team's files.
 */
async function assertNotAnotherTeams(client: DbExecutor, teamId: string, placement: WorkspacePlacement, directory: string) {
  const [firstSegment] = path.relative(path.resolve(placement.root), directory).split(path.sep);
  if (firstSegment && firstSegment !== teamId && (await client.team.count({ where: { id: firstSegment } }))) {
    throw new DomainError("invalid", "That directory belongs to another team", { directory: ["That directory belongs to another team"] });
  }
  const others = await client.workspace.findMany({ where: { teamId: { not: teamId } }, select: { directory: true } });
  if (others.some((other) => directoriesOverlap(other.directory, directory))) {
    throw new DomainError("invalid", "That directory overlaps another team's workspace", {
      directory: ["That directory overlaps another team's workspace"],
    });
  }
}

/** Registers a workspace for a team: a new directory named after it, or an existing directory under the root. */
export async function registerWorkspace(
  client: DbExecutor,
  teamId: string,
  input: { name: string; source: WorkspaceSource },
  placement: WorkspacePlacement,
) {
  assertWorkspaceName(input.name);
  let directory: string;
  if (input.source.kind === "existing") {
    directory = resolveWorkspaceDirectory(placement, input.source.directory, "directory");
    assertExistingDirectory(directory, "directory");
  } else {
    directory = resolveWorkspaceDirectory(placement, path.join(teamId, input.name), "name");
  }
  await assertNotAnotherTeams(client, teamId, placement, directory);
  const created = await translated(client.workspace.create({ data: { teamId, name: input.name, directory } }));
  if (input.source.kind === "new") mkdirSync(directory, { recursive: true });
  return created;
}

export async function listWorkspaces(client: DbExecutor, teamId: string, options: { archived?: boolean } = {}) {
  return client.workspace.findMany({
    where: { teamId, ...(options.archived === undefined ? {} : { archivedAt: options.archived ? { not: null } : null }) },
    orderBy: { name: "asc" },
  });
}

export async function getWorkspace(client: DbExecutor, teamId: string, workspaceId: string) {
  const workspace = await client.workspace.findFirst({ where: { id: workspaceId, teamId } });
  if (!workspace) throw new NotFoundError("Workspace");
  return workspace;
}

/** A stored sandbox column as settings; a row written before the column had rules reads as the defaults. */
export function sandboxSettingsOf(stored: unknown): WorkspaceSandboxSettings {
  const parsed = WorkspaceSandboxSettings.safeParse(stored ?? {});
  return parsed.success ? parsed.data : WorkspaceSandboxSettings.parse({});
}

/** What a run needs from its workspace: where to act and inside which sandbox. Archived workspaces refuse new runs. */
export async function getWorkspaceForRun(client: DbExecutor, teamId: string, workspaceId: string) {
  const workspace = await getWorkspace(client, teamId, workspaceId);
  if (workspace.archivedAt) throw new ConflictError(`Workspace "${workspace.name}" is archived; runs cannot start in it`);
  return { workspaceId: workspace.id, directory: workspace.directory, sandbox: sandboxSettingsOf(workspace.sandbox) };
}

export async function renameWorkspace(client: DbExecutor, teamId: string, workspaceId: string, name: string) {
  assertWorkspaceName(name);
  await getWorkspace(client, teamId, workspaceId);
  return translated(client.workspace.update({ where: { id: workspaceId }, data: { name } }));
}

export async function setWorkspaceArchived(client: DbExecutor, teamId: string, workspaceId: string, archived: boolean) {
  const workspace = await getWorkspace(client, teamId, workspaceId);
  if (Boolean(workspace.archivedAt) === archived) return workspace;
  return client.workspace.update({ where: { id: workspaceId }, data: { archivedAt: archived ? new Date() : null } });
}

/** Stores sandbox settings after checking them with their one schema; the error names the offending field. */
export async function updateWorkspaceSandbox(client: DbExecutor, teamId: string, workspaceId: string, settings: unknown) {
  const parsed = WorkspaceSandboxSettings.safeParse(settings);
  if (!parsed.success) {
    const fieldErrors: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) (fieldErrors[["sandbox", ...issue.path].join(".")] ??= []).push(issue.message);
    throw new DomainError("invalid", "Invalid sandbox settings", fieldErrors);
  }
  await getWorkspace(client, teamId, workspaceId);
  return client.workspace.update({ where: { id: workspaceId }, data: { sandbox: toJsonColumn(parsed.data) } });
}
