/**
 * The runner's public API, for the server, the CLI and tests. See README.md
 * for how the pieces fit.
 */
export { startRun, resumeRun, retryFailedNodes, retryNode, planExecution, RunRequestError } from "./runs";
export type { RunOwnership, StartRunOptions } from "./runs";
export { executeRun } from "./scheduler";
export { pendingNodeState } from "./run-recorder";
export type { ExecuteRunInput, RunHandle, RunOutcome, NodeOutcome } from "./scheduler";
export { RunRegistry } from "./run-registry";
export { recoverInterruptedRuns } from "./recovery";
export type { RecoveredRun, RecoveryOptions } from "./recovery";
export { undoRun } from "./undo";
export type { UndoConflict, UndoResult } from "./undo";
export { createRunnerResources } from "./resources";
export type { Clock, RunnerResources } from "./resources";
export { DEFAULT_RUNNER_LIMITS } from "./limits";
export type { RunnerLimits } from "./limits";
export { RunEventBus } from "./event-bus";
export type { RunEventListener } from "./event-bus";
export { createMemoryRunStore } from "./memory-run-store";
export type { RunStore, PersistBatch, NewRun, NodeRunState, StoredRun, StoredFileChange, RunSettings, RunPatch, AttemptRecord } from "./run-store";
export { createNodeSpawner, createZygoteSpawner, ensureNativeZygote } from "./spawner/process-spawner";
export type { ProcessSpawner, SpawnRequest, SpawnedProcess, ProcessExit, ZygoteOptions } from "./spawner/process-spawner";
export { NonRetryableError, OperationError, AbortedError } from "./errors";
export * from "../run-events/status";
export * from "../run-events/run-events";
