/**
 * A run's control group, where the server may create one: cgroup v1
 * controllers it can write (a server running as root), or a delegated
 * cgroup v2 subtree. It caps what all of a run's commands together may use,
 * which rlimits cannot: RLIMIT_NPROC does not bind a process whose real uid
 * is root, and memory rlimits count per process. Without one, the sandbox
 * relies on rlimits alone.
 */
import { mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import path from "node:path";

/** What a run's commands may use together. */
export interface RunCgroupLimits {
  processes: number;
  memoryBytes: number;
}

export interface RunCgroup {
  /** Files to write a pid into so the process (and what it starts) joins the group. */
  procsFiles: string[];
  /** How many of the group's processes the kernel killed for exceeding its memory limit. */
  oomKills(): number;
  /** Removes the group; false while it still holds processes. */
  remove(): boolean;
}

interface Hierarchy {
  version: 1 | 2;
  /** The directory of this process's own cgroup in that hierarchy. */
  own: string;
  controllers: string[];
}

let ownHierarchies: Hierarchy[] | null = null;

/** Where this process sits in each mounted cgroup hierarchy, read once per process (two /proc files to parse, per run otherwise). */
function hierarchies(): Hierarchy[] {
  ownHierarchies ??= readHierarchies();
  return ownHierarchies;
}

function readHierarchies(): Hierarchy[] {
  const membership = new Map<string, string>();
  for (const line of readFileSync("/proc/self/cgroup", "utf8").split("\n")) {
    const [id, controllers, cgroupPath] = line.split(":");
    if (cgroupPath !== undefined) membership.set(id === "0" ? "" : (controllers as string), cgroupPath);
  }
  const found: Hierarchy[] = [];
  for (const line of readFileSync("/proc/self/mountinfo", "utf8").split("\n")) {
    const [mountPart, fsPart] = line.split(" - ");
    if (!mountPart || !fsPart) continue;
    const [fsType, , superOptions = ""] = fsPart.split(" ");
    const fields = mountPart.split(" ");
    const mountPoint = fields[4] as string;
    const root = fields[3] as string;
    if (fsType === "cgroup2") {
      const own = membership.get("");
      if (own === undefined) continue;
      const dir = path.join(mountPoint, path.relative(root, own));
      let enabled: string[] = [];
      try {
        enabled = readFileSync(path.join(dir, "cgroup.subtree_control"), "utf8").trim().split(/\s+/);
      } catch {
        continue;
      }
      found.push({ version: 2, own: dir, controllers: enabled });
    } else if (fsType === "cgroup") {
      const controllers = superOptions.split(",").filter((option) => option in V1_LIMIT_FILES);
      for (const [names, own] of membership) {
        const listed = names.split(",");
        if (!controllers.some((controller) => listed.includes(controller))) continue;
        found.push({
          version: 1,
          own: path.join(mountPoint, path.relative(root, own)),
          controllers: controllers.filter((c) => listed.includes(c)),
        });
      }
    }
  }
  return found;
}

/**
 * Per controller, the file and value that cap the group. A quarter of the
 * default CPU weight keeps the server answering while a run's commands
 * (a fork bomb, say) want every core.
 */
type LimitFiles = Record<string, (limits: RunCgroupLimits) => [string, string]>;
const V1_LIMIT_FILES: LimitFiles = {
  pids: (limits) => ["pids.max", String(limits.processes)],
  memory: (limits) => ["memory.limit_in_bytes", String(limits.memoryBytes)],
  cpu: () => ["cpu.shares", "256"],
};
const V2_LIMIT_FILES: LimitFiles = {
  pids: (limits) => ["pids.max", String(limits.processes)],
  memory: (limits) => ["memory.max", String(limits.memoryBytes)],
  cpu: () => ["cpu.weight", "25"],
};

/**
 * Removes run cgroups left by processes that are gone (named
 * `batchboard-<pid>-<run>`): a group still tearing down thousands of
 * processes when its run ended could not be removed then.
 */
export function sweepStaleCgroups(): void {
  let available: Hierarchy[];
  try {
    available = hierarchies();
  } catch {
    return;
  }
  for (const hierarchy of available) {
    let names: string[];
    try {
      names = readdirSync(hierarchy.own);
    } catch {
      continue;
    }
    for (const name of names) {
      const pid = Number(/^batchboard-(\d+)-/.exec(name)?.[1]);
      if (pid && !processExists(pid)) tryRemove(path.join(hierarchy.own, name));
    }
  }
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Creates the run's cgroup(s) named `name`, or returns null when this process may not. */
export function createRunCgroup(name: string, limits: RunCgroupLimits): RunCgroup | null {
  let available: Hierarchy[];
  try {
    available = hierarchies();
  } catch {
    return null;
  }
  const created: string[] = [];
  let memoryCounter: { file: string } | null = null;
  for (const hierarchy of available) {
    const files = hierarchy.version === 1 ? V1_LIMIT_FILES : V2_LIMIT_FILES;
    const controllers = hierarchy.controllers.filter((controller) => controller in files);
    if (!controllers.length) continue;
    const dir = path.join(hierarchy.own, `batchboard-${name}`);
    try {
      mkdirSync(dir);
    } catch {
      continue;
    }
    try {
      for (const controller of controllers) {
        const [file, value] = (files[controller] as (limits: RunCgroupLimits) => [string, string])(limits);
        writeFileSync(path.join(dir, file), value);
        if (controller === "memory")
          memoryCounter = { file: path.join(dir, hierarchy.version === 1 ? "memory.oom_control" : "memory.events") };
      }
      created.push(dir);
    } catch {
      tryRemove(dir);
    }
  }
  if (!created.length) return null;
  return {
    procsFiles: created.map((dir) => path.join(dir, "cgroup.procs")),
    oomKills() {
      if (!memoryCounter) return 0;
      try {
        return Number(/oom_kill (\d+)/.exec(readFileSync(memoryCounter.file, "utf8"))?.[1] ?? 0);
      } catch {
        return 0;
      }
    },
    remove() {
      return created.map(tryRemove).every(Boolean);
    },
  };
}

function tryRemove(dir: string): boolean {
  try {
    rmdirSync(dir);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ENOENT";
  }
}
