/**
 * Makes sure the real PostgreSQL server the tests talk to is up, starting
 * it with the machine's own service command when it is down,
 * so a clean machine passes too.
 */
import { execSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import net from "node:net";

export const TEST_POSTGRES_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test";

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.end();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

async function waitForPort(port: number, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await portOpen(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${what} did not start listening on 127.0.0.1:${port} within ${timeoutMs} ms`);
}

export async function ensurePostgres(): Promise<void> {
  if (await portOpen(5432)) return;
  if (!existsSync("/etc/postgresql")) {
    throw new Error("PostgreSQL is not running on 127.0.0.1:5432 and is not installed (apt-get install postgresql)");
  }
  for (const version of readdirSync("/etc/postgresql")) {
    execSync(`pg_ctlcluster --skip-systemctl-redirect ${version} main start`, { stdio: "inherit" });
  }
  await waitForPort(5432, "PostgreSQL");
}

