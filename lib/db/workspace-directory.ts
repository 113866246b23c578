/**
 * Where a workspace may live: inside the configured workspace root, never
 * the root itself, never the data directory or anything holding it, and
 * never reaching out of the root through `..` or a symlink. Every refusal is
 * a DomainError naming the field the person typed.
 */
import { mkdirSync, realpathSync, statSync } from "node:fs";
import path from "node:path";
import { DomainError } from "./errors";

/** Where workspaces are placed: the configured root, and the data directory they must stay clear of. */
export interface WorkspacePlacement {
  root: string;
  dataDir: string;
}

const isInside = (parent: string, child: string) => {
  const relative = path.relative(parent, child);
  return relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative);
};
const isSameOrInside = (parent: string, child: string) => parent === child || isInside(parent, child);

function refuse(field: string, message: string): never {
  throw new DomainError("invalid", message, { [field]: [message] });
}

/** The real path of a directory that exists, or of its nearest existing ancestor joined with the rest. */
function realPathOf(target: string): string {
  try {
    return realpathSync.native(target);
  } catch {
    const parent = path.dirname(target);
    if (parent === target) return target;
    return path.join(realPathOf(parent), path.basename(target));
  }
}

/**
 * The checked real path of `requested` (relative to the root, or absolute
 * inside it); `field` names the input in errors.
 */
export function resolveWorkspaceDirectory(placement: WorkspacePlacement, requested: string, field: string): string {
  const trimmed = requested.trim();
  if (!trimmed) refuse(field, "Enter a directory inside the workspace root");
  if (trimmed.split(/[\\/]+/).includes("..")) refuse(field, "The directory may not contain '..'");
  mkdirSync(placement.root, { recursive: true });
  const root = realpathSync.native(placement.root);
  const dataDir = realPathOf(path.resolve(placement.dataDir));
  const lexical = path.isAbsolute(trimmed) ? path.resolve(trimmed) : path.resolve(placement.root, trimmed);
  if (!isInside(path.resolve(placement.root), lexical) && !isInside(root, lexical)) {
    refuse(field, `The directory must be inside the workspace root (${placement.root})`);
  }
  const real = realPathOf(lexical);
  if (!isInside(root, real)) refuse(field, "The directory leads out of the workspace root (through a symbolic link)");
  if (isSameOrInside(real, dataDir)) refuse(field, "The directory may not be the data directory or hold it");
  // A root inside the data directory keeps workspaces apart from its database, logs and helper; a root that is the data directory does not.
  if (isInside(dataDir, real) && !isInside(dataDir, root)) refuse(field, "The directory may not be inside the data directory");
  return real;
}

/** Refuses anything but an existing directory (a file, or nothing at all). */
export function assertExistingDirectory(directory: string, field: string): void {
  let isDirectory = false;
  try {
    isDirectory = statSync(directory).isDirectory();
  } catch {
    refuse(field, "No such directory under the workspace root");
  }
  if (!isDirectory) refuse(field, "Not a directory");
}

/** Whether two workspace directories overlap: the same, or one inside the other. */
export function directoriesOverlap(a: string, b: string): boolean {
  return isSameOrInside(a, b) || isSameOrInside(b, a);
}
