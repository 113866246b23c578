/**
 * `npm run worker`: a cluster worker (REDIS_URL and a PostgreSQL
 * DATABASE_URL). It executes the runs of the workspaces whose tag is in
 * BATCHBOARD_WORKER_TAGS, BATCHBOARD_WORKER_CONCURRENCY at a time; SIGTERM
 * or SIGINT drains it (BATCHBOARD_WORKER_DRAIN_MS), and a second signal
 * hands its runs over at once.
 */
import { openDatabase } from "../lib/db/client";
import { parseDatabaseUrl } from "../lib/db/database-config";
import { createThreadedRunStore } from "../lib/db/threaded-run-store";
import { loadEnv } from "../lib/env";
import { startClusterWorker } from "../lib/cluster/worker";
import { createServerRunnerResources } from "../lib/server/app-context";

const env = loadEnv();
if (!env.REDIS_URL) {
  console.error("batchboard worker: set REDIS_URL (and a PostgreSQL DATABASE_URL): workers take runs from the cluster's Redis queues");
  process.exit(2);
}
const config = parseDatabaseUrl(env.DATABASE_URL);
const database = await openDatabase(config);
const resources = createServerRunnerResources(env, await createThreadedRunStore(config, process.cwd()));
const log = (message: string) => console.log(`[worker ${process.pid}] ${message}`);
const worker = await startClusterWorker({
  client: database.client,
  resources,
  config: { redisUrl: env.REDIS_URL, prefix: env.BATCHBOARD_REDIS_PREFIX },
  tags: env.BATCHBOARD_WORKER_TAGS,
  concurrency: env.BATCHBOARD_WORKER_CONCURRENCY,
  workspaces: env.BATCHBOARD_WORKER_WORKSPACES,
  log,
});
log(`ready: id ${worker.id}, tags ${env.BATCHBOARD_WORKER_TAGS.join(",")}, concurrency ${env.BATCHBOARD_WORKER_CONCURRENCY}`);

let draining = false;
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    if (draining) process.exit(1);
    draining = true;
    void worker.drain(env.BATCHBOARD_WORKER_DRAIN_MS).then((outcome) => {
      log(`stopped (${outcome}); executed ${worker.executedRunIds().length} run(s)`);
      process.exit(0);
    });
  });
}
