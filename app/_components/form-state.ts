import type * as z from "zod";

/** What a sign-in, setup or invite form shows after a failed submit. */
export interface FormState {
  message?: string;
  fieldErrors?: Record<string, string[]>;
  /** What the person typed (never the password), so a failed submit does not clear the form. */
  values?: Record<string, string>;
}

export function formStateOfZodError(error: z.ZodError, values: Record<string, string>): FormState {
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of error.issues) (fieldErrors[issue.path.join(".") || "_"] ??= []).push(issue.message);
  return { message: "Check the highlighted fields", fieldErrors, values };
}

/** The text fields of a form, without passwords. */
export function textValuesOf(formData: FormData, names: readonly string[]): Record<string, string> {
  return Object.fromEntries(names.map((name) => [name, String(formData.get(name) ?? "")]));
}
