/**
 * The one way to write a server action: validate the input with its zod
 * schema, resolve the caller and check the permission, run the handler, and
 * answer `{ok, data}` or `{ok: false, code, message, fieldErrors}`. Domain
 * errors become answers here, once; anything else is a bug and is rethrown.
 */
import type * as z from "zod";
import { DomainError, type DomainErrorCode } from "../db/errors";
import { getAppContext, type AppContext } from "./app-context";
import { resolveCaller, type Caller } from "./caller";
import { roleAllows, type Permission } from "./permissions";

export type ActionFailureCode = DomainErrorCode | "validation";

export type ActionResult<T> =
  | { ok: true; data: T }
  | { ok: false; code: ActionFailureCode; message: string; fieldErrors: Record<string, string[]> };

export interface ActionContext {
  app: AppContext;
  caller: Caller;
}

function fieldErrorsOf(error: z.ZodError): Record<string, string[]> {
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "_";
    (fieldErrors[key] ??= []).push(issue.message);
  }
  return fieldErrors;
}

/** Builds a server action from its input schema, required permission and handler. */
export function defineAction<Input extends z.ZodType, Output>(
  options: { input: Input; permission: Permission },
  handler: (input: z.output<Input>, context: ActionContext) => Promise<Output>,
): (raw: z.input<Input>) => Promise<ActionResult<Output>> {
  return async (raw) => {
    const parsed = options.input.safeParse(raw);
    if (!parsed.success) {
      return { ok: false, code: "validation", message: "Some fields are invalid", fieldErrors: fieldErrorsOf(parsed.error) };
    }
    const caller = await resolveCaller();
    if (!roleAllows(caller.role, options.permission)) {
      return { ok: false, code: "forbidden", message: `Your role (${caller.role}) may not do this`, fieldErrors: {} };
    }
    try {
      return { ok: true, data: await handler(parsed.data, { app: await getAppContext(), caller }) };
    } catch (error) {
      if (error instanceof DomainError) {
        return { ok: false, code: error.code, message: error.message, fieldErrors: error.fieldErrors };
      }
      throw error;
    }
  };
}
