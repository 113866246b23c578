/** An AppContext on a test database, for calling route handlers the way Next would. */
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createPrismaRunStore } from "../db/run-store";
import { loadEnv } from "../env";
import { createServerRunner, type AppContext } from "../server/app-context";
import type { TestDatabase } from "./test-database";

export function createTestApp(db: TestDatabase, defaults: AppContext["defaults"]): AppContext {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "batchboard-app-"));
  const env = loadEnv({ BATCHBOARD_DATA_DIR: dataDir, DATABASE_URL: db.config.url });
  return {
    env,
    db,
    defaults,
    runs: createServerRunner(env, db.client, createPrismaRunStore(db.client)).runs,
    cluster: null,
    setupCode: "TESTSETUPCODE",
  };
}

/** Calls a route handler with a request to `path` on http://batchboard.test. */
export function callRoute(
  handler: (request: Request, segment: { params: Promise<Record<string, string>> }) => Promise<Response>,
  request: { method?: string; path: string; params?: Record<string, string>; headers?: Record<string, string>; body?: unknown },
): Promise<Response> {
  const init: RequestInit = {
    method: request.method ?? "GET",
    headers: { host: "batchboard.test", ...(request.body === undefined ? {} : { "content-type": "application/json" }), ...request.headers },
    ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
  };
  return handler(new Request(`http://batchboard.test${request.path}`, init), { params: Promise.resolve(request.params ?? {}) });
}
