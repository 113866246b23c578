/**
 * Makes sure the real PostgreSQL server the tests talk to is up, starting
 * it with the machine's own service command when it is down,
 * so a clean machine passes too.
 */
import { execFileSync, execSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync } from "node:fs";
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

export const TEST_REDIS_URL = "redis://127.0.0.1:6379";

/** The Redis server command line, also used by `npm run cluster`; `port` and `dir` vary for private test servers. */
export function redisServerArgs(port: number, dir = "/var/lib/redis", logfile = "/var/log/redis/ci.log"): string[] {
  return [
    "--daemonize",
    "yes",
    "--bind",
    "127.0.0.1",
    "-::1",
    "--port",
    String(port),
    "--save",
    "",
    "--appendonly",
    "no",
    "--dir",
    dir,
    "--logfile",
    logfile,
  ];
}

/** Makes sure Redis answers on 127.0.0.1:6379, installing Debian's redis-server and starting it when needed. */
export async function ensureRedis(): Promise<void> {
  if (await portOpen(6379)) return;
  execSync("bash scripts/ensure-debian-package.sh redis-server redis-server", { stdio: "inherit" });
  mkdirSync("/var/lib/redis", { recursive: true });
  mkdirSync("/var/log/redis", { recursive: true });
  execFileSync("redis-server", redisServerArgs(6379), { stdio: "inherit" });
  await waitForPort(6379, "Redis");
}

export { portOpen, waitForPort };
