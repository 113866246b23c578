/** Exit codes: 0 all succeeded, 1 the run (or check) failed, 2 bad usage or input. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** Where a command prints. */
export interface Out {
  write(text: string): unknown;
}
