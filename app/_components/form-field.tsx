import type { FormState } from "./form-state";

/** A labelled input with its errors, shared by the sign-in, setup and invite forms. */
export function FormField({
  name,
  label,
  type = "text",
  state,
  autoComplete,
}: {
  name: string;
  label: string;
  type?: string;
  state: FormState;
  autoComplete?: string;
}) {
  const errors = state.fieldErrors?.[name];
  return (
    <label className="form-field">
      <span>{label}</span>
      <input
        name={name}
        type={type}
        required
        autoComplete={autoComplete}
        defaultValue={type === "password" ? undefined : state.values?.[name]}
        aria-invalid={errors ? true : undefined}
      />
      {errors?.map((error) => (
        <span key={error} className="field-error">
          {error}
        </span>
      ))}
    </label>
  );
}
