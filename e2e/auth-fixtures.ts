import os from "node:os";
import path from "node:path";
/** The owner the setup project creates, and where each project's signed-in browser state is kept. */
export const OWNER = {
  name: "Olivia Owner",
  email: "olivia@example.test",
  password: "correct horse battery",
  teamName: "My team",
} as const;

/** Saved by e2e/auth.setup.ts, loaded by every other test of the same project. */
export function storageStatePath(provider: string): string {
  return `test-results/.auth/${provider}.json`;
}

/** The data directory of the e2e server at `baseURL` (scripts/e2e-server.ts puts it there). */
export function dataDirectoryOf(baseURL: string | undefined): string {
  return path.join(os.tmpdir(), `batchboard-e2e-${new URL(baseURL ?? "").port}`);
}
