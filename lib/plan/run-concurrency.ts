/**
 * How many operations of one run may run at once. Plain numbers rather than
 * a schema so the CLI can check its `--concurrency` flag before it loads zod;
 * the schema is `RunConcurrency` in schema.ts.
 */
export const MIN_RUN_CONCURRENCY = 1;
export const MAX_RUN_CONCURRENCY = 256;
