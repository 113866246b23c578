/** Caps and timings the runner obeys; defaults suit a server, tests shrink them. */
export interface RunnerLimits {
  /** Last bytes of each output stream kept in memory and in the node's result. */
  outputTailBytes: number;
  /** Bytes of each output stream stored as events; the rest is dropped with a marker. */
  outputStoreBytes: number;
  /** Total bytes a `file.read` node returns across its files. */
  readTotalBytes: number;
  /** Files a `file.read` glob or a search may visit. */
  maxFilesVisited: number;
  /** Largest file a search reads. */
  searchMaxFileBytes: number;
  /** Fewest files a search hands to ripgrep (below that, starting it costs more than it saves). */
  searchRipgrepMinFiles: number;
  /** Between SIGTERM and SIGKILL when stopping a process group. */
  killGraceMs: number;
  /** Persistence: flush buffered events after this long… */
  flushIntervalMs: number;
  /** …or once this many are buffered. */
  flushMaxEvents: number;
  /** PATH given to commands. */
  shellPath: string;
  /** Longest diff kept per change in events. */
  diffMaxChars: number;
}

/** Defaults for {@link RunnerLimits}. */
export const DEFAULT_RUNNER_LIMITS: RunnerLimits = {
  outputTailBytes: 16 * 1024,
  outputStoreBytes: 4 * 1024 * 1024,
  readTotalBytes: 16 * 1024 * 1024,
  maxFilesVisited: 200_000,
  searchMaxFileBytes: 8 * 1024 * 1024,
  searchRipgrepMinFiles: 200,
  // Short: a timed-out node is reported within a second of its limit.
  killGraceMs: 500,
  flushIntervalMs: 50,
  flushMaxEvents: 500,
  shellPath: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
  diffMaxChars: 64 * 1024,
};
