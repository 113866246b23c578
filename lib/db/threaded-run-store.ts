/**
 * The runner's store on a worker thread: the same Prisma store as
 * run-store.ts, but its database work (query building, the synchronous SQLite
 * driver) runs beside the scheduler instead of blocking it between commands.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { RunStore, StoredFileChange } from "../runner/run-store";
import type { DatabaseConfig } from "./database-config";
import type { StoreReply, StoreRequest } from "./run-store-thread";

/** A RunStore whose calls run on a worker thread with its own connection. */
export interface ThreadedRunStore extends RunStore {
  /** Closes the worker's connection and stops the worker. */
  close(): Promise<void>;
}

/** Structured clone turns Buffers into Uint8Arrays; the runner expects Buffers. */
function toBuffer(value: Uint8Array | null): Buffer | null {
  return value === null ? null : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}

/**
 * Starts the worker and resolves once its connection is open. `appRoot` is
 * the directory holding `lib/` (the worker loads its sources through tsx).
 *
 * @example
 * const store = await createThreadedRunStore(parseDatabaseUrl(env.DATABASE_URL), process.cwd());
 * const resources = createRunnerResources({ store });
 */
export async function createThreadedRunStore(config: DatabaseConfig, appRoot: string): Promise<ThreadedRunStore> {
  // From the app's sources, not relative to this module: in the web server
  // this module is bundled, and the bundler would turn a module-relative URL
  // into a copied asset whose own imports no longer resolve.
  const entry = pathToFileURL(path.join(/*turbopackIgnore: true*/ appRoot, "lib/db/run-store-thread.ts")).href;
  // Workers do not inherit tsx's loader: register it in the worker before loading the TypeScript entry.
  const bootstrap = `import("tsx/esm/api").then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`;
  const worker = new Worker(bootstrap, { eval: true, workerData: config });
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let nextId = 1;
  let ready!: () => void;
  let failed!: (error: Error) => void;
  const started = new Promise<void>((resolve, reject) => {
    ready = resolve;
    failed = reject;
  });
  worker.on("message", (reply: StoreReply) => {
    if (reply.id === 0) return ready();
    const call = pending.get(reply.id);
    pending.delete(reply.id);
    if (!call) return;
    if (reply.ok) call.resolve(reply.value);
    else call.reject(Object.assign(new Error(reply.error.message), { name: reply.error.name }));
  });
  worker.on("error", (error) => {
    failed(error);
    for (const call of pending.values()) call.reject(error);
    pending.clear();
  });
  await started;
  const call = <T>(method: StoreRequest["method"], ...args: unknown[]): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ id, method, args } satisfies StoreRequest);
    });
  return {
    createRun: (input) => call("createRun", input),
    persist: (batch) => call("persist", batch),
    loadRun: (runId) => call("loadRun", runId),
    findRunIds: (statuses) => call("findRunIds", statuses),
    listFileChanges: async (runId) =>
      (await call<StoredFileChange[]>("listFileChanges", runId)).map((change) => ({
        ...change,
        before: toBuffer(change.before),
        after: toBuffer(change.after),
      })),
    markFileChangesReverted: (runId, ids, at) => call("markFileChangesReverted", runId, ids, at),
    listEvents: (runId, afterSeq) => call("listEvents", runId, afterSeq),
    async close() {
      await call("close");
      await worker.terminate();
    },
  };
}
