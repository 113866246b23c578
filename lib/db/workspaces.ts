/** Registered workspace directories of a team. */
import { mkdirSync, statSync } from "node:fs";
import path from "node:path";
import { DomainError, NotFoundError } from "./errors";
import { translated, type DbExecutor } from "./transaction";

/** Workspace names become directory names under the configured root. */
const WORKSPACE_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Registers `<root>/<name>` for a team and creates the directory. */
export async function registerWorkspace(client: DbExecutor, teamId: string, name: string, root: string) {
  if (!WORKSPACE_NAME.test(name)) {
    throw new DomainError("invalid", "Invalid workspace name", {
      name: ["Use lower-case letters, digits and '-', starting with a letter or digit"],
    });
  }
  const directory = path.join(root, teamId, name);
  mkdirSync(directory, { recursive: true });
  return translated(client.workspace.create({ data: { teamId, name, directory } }));
}

export async function listWorkspaces(client: DbExecutor, teamId: string) {
  return client.workspace.findMany({ where: { teamId }, orderBy: { name: "asc" } });
}

export async function getWorkspace(client: DbExecutor, teamId: string, workspaceId: string) {
  const workspace = await client.workspace.findFirst({ where: { id: workspaceId, teamId } });
  if (!workspace) throw new NotFoundError("Workspace");
  return workspace;
}

/** Registers an existing directory (an absolute path) as a workspace of the team, under `name`. */
export async function registerExistingWorkspace(client: DbExecutor, teamId: string, name: string, directory: string) {
  if (!WORKSPACE_NAME.test(name)) {
    throw new DomainError("invalid", "Invalid workspace name", { name: ["Use lower-case letters, digits and '-', starting with a letter or digit"] });
  }
  if (!path.isAbsolute(directory) || !statSync(directory, { throwIfNoEntry: false })?.isDirectory()) {
    throw new DomainError("invalid", `${directory} is not an existing directory`, { directory: ["Give the absolute path of an existing directory"] });
  }
  return translated(client.workspace.create({ data: { teamId, name, directory } }));
}
