/**
 * The file journal: every change an operation makes is recorded with the
 * bytes before and after, so it can be shown as a diff, rolled back (atomic
 * batches) and undone later.
 */
import { hash } from "node:crypto";
import { statSync } from "node:fs";
import path from "node:path";
import type { ChangeLog } from "./change-log";
import type { ContentChange, FileSystem } from "./file-system";
import type { Workspace } from "./workspace";

export type FileOperation = "create" | "update" | "delete";

/** One journalled change. */
export interface FileChangeRecord {
  /** Per run, in the order changes were committed. */
  seq: number;
  nodeId: string;
  /** Every node whose edits the change holds, when one write applied several nodes' edits (a multi-edit unit). */
  nodeIds?: string[];
  /** Workspace-relative. */
  path: string;
  operation: FileOperation;
  before: Buffer | null;
  after: Buffer | null;
  beforeHash: string | null;
  afterHash: string | null;
  /** Permission bits of a deleted file, so undo can restore them. */
  beforeMode?: number | null;
  /** For a create: the topmost directory (workspace-relative) made for the file, which undo removes again when empty. */
  createdDirectory?: string | null;
}

/** sha-256 of the bytes, hex; null for an absent file. */
export function hashContent(content: Buffer | null): string | null {
  return content === null ? null : hash("sha256", content, "hex");
}

/**
 * Changes made inside one scope are applied at once (so later reads see
 * them) but reach the journal only on {@link ChangeScope.commit}; on
 * {@link ChangeScope.rollback} they are reverted, newest first.
 */
export interface ChangeScope {
  /**
   * What an executor uses: file access bound to one node. `mergedNodeIds`,
   * read when a change is recorded, names every node whose edits it holds.
   */
  forNode(nodeId: string, mergedNodeIds?: () => string[]): NodeFiles;
  commit(): FileChangeRecord[];
  rollback(): Promise<void>;
}

/** File access for one node; every change is journalled. */
export interface NodeFiles {
  resolve(relativePath: string): Promise<string>;
  read(relativePath: string): Promise<Buffer | null>;
  /** Reads an already-resolved absolute path. */
  readResolved(absolutePath: string): Promise<Buffer | null>;
  write(relativePath: string, data: Buffer, known?: { before: Buffer | null }): Promise<FileChangeRecord | null>;
  /** Read-modify-write of one file (see {@link FileSystem.update}); null when nothing changed. */
  update(relativePath: string, change: ContentChange): Promise<FileChangeRecord | null>;
  remove(relativePath: string): Promise<FileChangeRecord | null>;
  /** A dry run's changes, which never reach the disk (see {@link FileSystem.unwritten}). */
  unwritten(): ReadonlyMap<string, Buffer | null>;
}

/** The run's journal; `onCommit` receives committed changes (to persist and announce them). */
export class FileJournal {
  private nextSeq: number;

  constructor(
    readonly fs: FileSystem,
    readonly workspace: Workspace,
    private readonly onCommit: (records: FileChangeRecord[]) => void,
    firstSeq = 1,
    /** Where each change's previous bytes are logged before it touches the disk (see change-log.ts). */
    readonly changeLog: ChangeLog | null = null,
  ) {
    this.nextSeq = firstSeq;
  }

  /** Opens a scope; see {@link ChangeScope}. */
  scope(): ChangeScope {
    return new JournalScope(this);
  }

  /** Numbers changes in commit order and hands them on. */
  commit(changes: PendingChange[]): FileChangeRecord[] {
    const committed = changes.map(({ absolutePath: _absolute, ...change }) => ({ ...change, seq: this.nextSeq++ }));
    if (committed.length) this.onCommit(committed);
    return committed;
  }
}

type PendingChange = Omit<FileChangeRecord, "seq"> & { absolutePath: string };

// Classes rather than closures: a scope is opened for every unit a run
// executes, most of which (commands) never touch a file.
class JournalScope implements ChangeScope {
  private pending: PendingChange[] = [];
  /** Paths resolved in this scope: an edit resolves, reads, then writes the same path. */
  private resolved: Map<string, Promise<string>> | null = null;

  constructor(readonly journal: FileJournal) {}

  forNode(nodeId: string, mergedNodeIds?: () => string[]): NodeFiles {
    return new JournalNodeFiles(this, nodeId, mergedNodeIds);
  }

  resolve(relativePath: string): Promise<string> {
    this.resolved ??= new Map();
    let found = this.resolved.get(relativePath);
    if (!found) {
      const resolved = this.resolved;
      found = this.journal.workspace.resolve(relativePath);
      resolved.set(relativePath, found);
      found.catch(() => resolved.delete(relativePath));
    }
    return found;
  }

  /** Logs a change about to reach the disk (with what a rollback needs beyond the bytes); returns the hash of its new bytes. */
  announce(
    nodeId: string,
    absolutePath: string,
    before: Buffer | null,
    after: Buffer | null,
    extra: Pick<FileChangeRecord, "beforeMode" | "createdDirectory"> = {},
  ): string | null {
    const afterHash = hashContent(after);
    this.journal.changeLog?.append({ nodeId, path: this.journal.workspace.relative(absolutePath), before, afterHash, ...extra });
    return afterHash;
  }

  record(
    nodeId: string,
    nodeIds: string[] | undefined,
    absolutePath: string,
    before: Buffer | null,
    after: Buffer | null,
    afterHash: string | null,
    extra: Pick<FileChangeRecord, "beforeMode" | "createdDirectory"> = {},
  ): FileChangeRecord {
    const change: PendingChange = {
      nodeId,
      ...(nodeIds ? { nodeIds } : {}),
      absolutePath,
      path: this.journal.workspace.relative(absolutePath),
      operation: before === null ? "create" : after === null ? "delete" : "update",
      before,
      after,
      beforeHash: hashContent(before),
      afterHash,
      ...extra,
    };
    this.pending.push(change);
    return { ...change, seq: 0 };
  }

  commit(): FileChangeRecord[] {
    return this.journal.commit(this.pending.splice(0));
  }

  async rollback(): Promise<void> {
    const { fs } = this.journal;
    for (const change of this.pending.splice(0).reverse()) {
      if (change.before === null) await fs.remove(change.absolutePath);
      else await fs.write(change.absolutePath, change.before);
    }
  }
}

class JournalNodeFiles implements NodeFiles {
  constructor(
    private readonly scope: JournalScope,
    private readonly nodeId: string,
    private readonly mergedNodeIds?: () => string[],
  ) {}

  resolve(relativePath: string): Promise<string> {
    return this.scope.resolve(relativePath);
  }

  private record(
    absolutePath: string,
    before: Buffer | null,
    after: Buffer | null,
    afterHash: string | null,
    extra?: Pick<FileChangeRecord, "beforeMode" | "createdDirectory">,
  ): FileChangeRecord {
    return this.scope.record(this.nodeId, this.mergedNodeIds?.(), absolutePath, before, after, afterHash, extra);
  }

  /** For a file about to be created: the topmost of its parent directories that does not exist yet. */
  private missingDirectory(absolutePath: string): Pick<FileChangeRecord, "createdDirectory"> {
    const { root } = this.scope.journal.workspace;
    let missing: string | null = null;
    for (
      let directory = path.dirname(absolutePath);
      directory.startsWith(root) && directory !== root;
      directory = path.dirname(directory)
    ) {
      if (isDirectory(directory)) break;
      missing = directory;
    }
    return missing === null ? {} : { createdDirectory: this.scope.journal.workspace.relative(missing) };
  }

  async read(relativePath: string): Promise<Buffer | null> {
    return this.scope.journal.fs.read(await this.scope.resolve(relativePath));
  }

  readResolved(absolutePath: string): Promise<Buffer | null> {
    return this.scope.journal.fs.read(absolutePath);
  }

  unwritten(): ReadonlyMap<string, Buffer | null> {
    return this.scope.journal.fs.unwritten();
  }

  async write(relativePath: string, data: Buffer, known?: { before: Buffer | null }): Promise<FileChangeRecord | null> {
    const { scope, nodeId } = this;
    const { fs } = scope.journal;
    const absolutePath = await scope.resolve(relativePath);
    const before = known ? known.before : await fs.read(absolutePath);
    if (before !== null && before.equals(data)) return null;
    const created = before === null ? this.missingDirectory(absolutePath) : undefined;
    const afterHash = scope.announce(nodeId, absolutePath, before, data, created);
    await fs.write(absolutePath, data);
    return this.record(absolutePath, before, data, afterHash, created);
  }

  async update(relativePath: string, change: ContentChange): Promise<FileChangeRecord | null> {
    const { scope, nodeId } = this;
    const absolutePath = await scope.resolve(relativePath);
    let afterHash: string | null = null;
    let created: Pick<FileChangeRecord, "createdDirectory"> | undefined;
    const { before, after } = await scope.journal.fs.update(absolutePath, (current) => {
      const next = change(current);
      if (next === null || (current !== null && current.equals(next))) return null;
      if (current === null) created = this.missingDirectory(absolutePath);
      afterHash = scope.announce(nodeId, absolutePath, current, next, created);
      return next;
    });
    return after === null ? null : this.record(absolutePath, before, after, afterHash, created);
  }

  async remove(relativePath: string): Promise<FileChangeRecord | null> {
    const { scope, nodeId } = this;
    const { fs } = scope.journal;
    const absolutePath = await scope.resolve(relativePath);
    const before = await fs.read(absolutePath);
    if (before === null) return null;
    const beforeMode = await fs.mode(absolutePath);
    scope.announce(nodeId, absolutePath, before, null, { beforeMode });
    await fs.remove(absolutePath);
    return this.record(absolutePath, before, null, null, { beforeMode });
  }
}

function isDirectory(absolutePath: string): boolean {
  try {
    return statSync(absolutePath).isDirectory();
  } catch {
    return false;
  }
}
