import { describe, expect, it } from "vitest";
import { loadEnv } from "./env";

describe("cluster settings in the environment", () => {
  it("refuses REDIS_URL with SQLite, naming the variable and the fix", () => {
    expect(() => loadEnv({ REDIS_URL: "redis://127.0.0.1:6379" })).toThrow(/REDIS_URL: cluster mode \(REDIS_URL\) needs PostgreSQL/);
    expect(() => loadEnv({ REDIS_URL: "redis://127.0.0.1:6379", DATABASE_URL: "file:/tmp/x.db" })).toThrow(/needs PostgreSQL/);
  });

  it("accepts REDIS_URL with PostgreSQL and parses worker tags and workspace locations", () => {
    const env = loadEnv({
      REDIS_URL: "redis://127.0.0.1:6379",
      DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/x",
      BATCHBOARD_WORKER_TAGS: "builds, default,builds",
      BATCHBOARD_WORKER_WORKSPACES: "website=/srv/website, docs=/srv/docs",
    });
    expect(env.BATCHBOARD_WORKER_TAGS).toEqual(["builds", "default"]);
    expect(env.BATCHBOARD_WORKER_WORKSPACES).toEqual({ website: "/srv/website", docs: "/srv/docs" });
  });

  it("refuses a workspace location that is not name=/absolute/path", () => {
    expect(() => loadEnv({ BATCHBOARD_WORKER_WORKSPACES: "website=relative/path" })).toThrow(
      /BATCHBOARD_WORKER_WORKSPACES: "website=relative\/path" is not name=\/absolute\/path/,
    );
  });
});
