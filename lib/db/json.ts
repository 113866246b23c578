import type { InputJsonValue } from "./generated/sqlite/internal/prismaNamespace";

/**
 * Plain data for a Json column. Zod outputs may hold `undefined` in optional
 * fields, which JSON drops anyway; one round trip makes that explicit.
 */
export function toJsonColumn(value: unknown): InputJsonValue {
  return JSON.parse(JSON.stringify(value)) as InputJsonValue;
}
