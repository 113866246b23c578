"use client";

import { useState } from "react";

/** One repair action at a time (cancel, retry, resume, undo): busy while it runs, and its failure or answer shown as a problem. */
export function useRunAction() {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  async function act<T>(work: () => Promise<T>, then?: (result: T) => void) {
    setBusy(true);
    setProblem(null);
    try {
      // Not `then?.(await work())`: an optional call skips its arguments, and the work with them.
      const result = await work();
      then?.(result);
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  }
  return { busy, problem, setProblem, act };
}
