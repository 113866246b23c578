"use client";

import { useRouter } from "next/navigation";
import { useState, useSyncExternalStore, useTransition } from "react";
import type { ActionResult } from "@/lib/server/action-client";

/**
 * Calls a server action, shows its refusal (the server checks the role even
 * when the button was enabled by mistake), and refreshes the page's server
 * data when it succeeds.
 */
const subscribeToNothing = () => () => {};

/**
 * False during server rendering and until React has hydrated the page:
 * controls stay disabled until their handlers exist, so a quick click or a
 * test never hits a button that cannot answer yet.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribeToNothing,
    () => true,
    () => false,
  );
}

export function useSettingsAction<Input, Output>(action: (input: Input) => Promise<ActionResult<Output>>) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const hydrated = useHydrated();
  const run = (input: Input, onSuccess?: (data: Output) => void) =>
    startTransition(async () => {
      const result = await action(input);
      if (!result.ok) {
        const fieldMessages = Object.values(result.fieldErrors).flat();
        setError(fieldMessages.length ? `${result.message}: ${fieldMessages.join("; ")}` : result.message);
        return;
      }
      setError(null);
      onSuccess?.(result.data);
      router.refresh();
    });
  return { run, pending, error, ready: hydrated && !pending };
}

export function ActionError({ error }: { error: string | null }) {
  return error ? (
    <p role="alert" className="form-error">
      {error}
    </p>
  ) : null;
}
