"use client";

import { useMutation, useQueryClient, type QueryKey } from "@tanstack/react-query";
import type { ActionResult } from "@/lib/server/action-client";

/** A failed action answer, thrown so TanStack Query treats it as a mutation error. */
export class ActionFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly fieldErrors: Record<string, string[]>,
  ) {
    super(message);
    this.name = "ActionFailure";
  }
}

/** Unwraps an action's `{ok, data}` answer, throwing {@link ActionFailure} on `{ok: false}`. */
export async function unwrap<T>(result: Promise<ActionResult<T>>): Promise<T> {
  const answer = await result;
  if (!answer.ok) throw new ActionFailure(answer.code, answer.message, answer.fieldErrors);
  return answer.data;
}

/** A mutation through a server action that invalidates `invalidates` (query-key prefixes) on success. */
export function useActionMutation<Input, Output>(
  action: (input: Input) => Promise<ActionResult<Output>>,
  invalidates: readonly QueryKey[],
) {
  const queryClient = useQueryClient();
  return useMutation<Output, ActionFailure, Input>({
    mutationFn: (input) => unwrap(action(input)),
    onSuccess: async () => {
      await Promise.all(invalidates.map((queryKey) => queryClient.invalidateQueries({ queryKey })));
    },
  });
}
