import { ensurePostgres } from "./services";

/** Vitest global setup: the real database servers must be up before any test file runs. */
export default async function setup(): Promise<void> {
  await ensurePostgres();
}
