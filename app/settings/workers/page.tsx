import { readClusterStatus } from "@/lib/cluster/cluster-status";
import { listWorkspaces } from "@/lib/db/workspaces";
import { getAppContext } from "@/lib/server/app-context";
import { resolveCaller } from "@/lib/server/caller";
import { roleAllows } from "@/lib/server/permissions";
import { LiveRefresh, WorkspaceTagForm } from "./workers-live";

export const dynamic = "force-dynamic";
export const metadata = { title: "Workers" };

function ago(date: Date): string {
  const seconds = Math.max(0, Math.round((Date.now() - date.getTime()) / 1000));
  return seconds < 90 ? `${seconds} s ago` : `${Math.round(seconds / 60)} min ago`;
}

export default async function WorkersPage() {
  const caller = await resolveCaller();
  const { db, cluster } = await getAppContext();
  if (!cluster) {
    return (
      <>
        <h2 className="section-title">Workers</h2>
        <p className="muted" data-testid="cluster-off">
          Cluster mode is off: this server executes its runs itself. Set <code>REDIS_URL</code> (with PostgreSQL) and start workers with{" "}
          <code>npm run worker</code> to scale out.
        </p>
      </>
    );
  }
  const workspaces = await listWorkspaces(db.client, caller.teamId);
  const status = await readClusterStatus(
    db.client,
    cluster,
    caller.teamId,
    workspaces.map((workspace) => workspace.tag),
  );
  return (
    <>
      <h2 className="section-title">Workers</h2>
      <LiveRefresh intervalMs={2_000} />
      <table className="table card" aria-label="Workers">
        <thead>
          <tr>
            <th>Worker</th>
            <th>Host</th>
            <th>Tags</th>
            <th>Concurrency</th>
            <th>Running runs</th>
            <th>Last heartbeat</th>
          </tr>
        </thead>
        <tbody>
          {status.workers.map((worker) => (
            <tr key={worker.id} data-testid="worker-row">
              <td>
                {worker.id} {worker.alive ? null : <span className="muted">({worker.stoppedAt ? "stopped" : "not responding"})</span>}
              </td>
              <td>{worker.host}</td>
              <td>{worker.tags.join(", ")}</td>
              <td>{worker.concurrency}</td>
              <td>
                {worker.runningCount}{" "}
                {worker.runningRunIds.map((runId) => (
                  <a key={runId} href={`/runs/${runId}`} className="nav-link">
                    {runId}
                  </a>
                ))}
              </td>
              <td>{ago(worker.heartbeatAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Queues</h3>
      <table className="table card" aria-label="Queues">
        <thead>
          <tr>
            <th>Tag</th>
            <th>Waiting runs</th>
            <th>Running</th>
            <th>Live workers</th>
          </tr>
        </thead>
        <tbody>
          {status.queues.map((queue) => (
            <tr key={queue.tag} data-testid="queue-row">
              <td>{queue.tag}</td>
              <td>{queue.waiting}</td>
              <td>{queue.active}</td>
              <td>
                {queue.liveWorkers === 0 ? <strong>none: its runs wait for a worker with tag “{queue.tag}”</strong> : queue.liveWorkers}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Workspace tags</h3>
      <p className="muted">
        A workspace&apos;s runs go to the workers serving its tag (BATCHBOARD_WORKER_TAGS); scratch runs use “default”.
      </p>
      <table className="table card" aria-label="Workspace tags">
        <tbody>
          {workspaces.map((workspace) => (
            <tr key={workspace.id}>
              <td>{workspace.name}</td>
              <td>
                <WorkspaceTagForm workspaceId={workspace.id} tag={workspace.tag} canManage={roleAllows(caller.role, "team:manage")} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
