"use client";

import { useId, useState, type ReactNode } from "react";

/** Errors for one field, shown under it; the input is marked invalid too. */
export function FieldErrors({ errors }: { errors?: string[] }) {
  if (!errors?.length) return null;
  return (
    <div className="field-error" role="alert" data-testid="field-error">
      {errors.join(" ")}
    </div>
  );
}

interface FieldProps {
  label: string;
  hint?: string;
  errors?: string[];
  children: (id: string, invalid: boolean) => ReactNode;
}

export function Field({ label, hint, errors, children }: FieldProps) {
  const id = useId();
  const invalid = Boolean(errors?.length);
  return (
    <div className={`field${invalid ? " is-invalid" : ""}`}>
      <label htmlFor={id}>{label}</label>
      {children(id, invalid)}
      {hint && !invalid && <div className="field-hint">{hint}</div>}
      <FieldErrors errors={errors} />
    </div>
  );
}

export function TextField(props: {
  label: string;
  value: unknown;
  onChange: (value: string) => void;
  errors?: string[];
  hint?: string;
  mono?: boolean;
  placeholder?: string;
}) {
  return (
    <Field label={props.label} errors={props.errors} hint={props.hint}>
      {(id, invalid) => (
        <input
          id={id}
          className={`input${props.mono ? " mono" : ""}`}
          value={typeof props.value === "string" ? props.value : ""}
          placeholder={props.placeholder}
          aria-invalid={invalid}
          spellCheck={false}
          onChange={(event) => props.onChange(event.target.value)}
        />
      )}
    </Field>
  );
}

/** Multi-line monospace editor for file contents and commands; Tab inserts two spaces instead of leaving. */
export function CodeField(props: {
  label: string;
  value: unknown;
  onChange: (value: string) => void;
  errors?: string[];
  hint?: string;
  rows?: number;
}) {
  return (
    <Field label={props.label} errors={props.errors} hint={props.hint}>
      {(id, invalid) => (
        <textarea
          id={id}
          className="input mono code-input"
          rows={props.rows ?? 6}
          value={typeof props.value === "string" ? props.value : ""}
          aria-invalid={invalid}
          spellCheck={false}
          onKeyDown={(event) => {
            if (event.key !== "Tab" || event.shiftKey) return;
            event.preventDefault();
            const target = event.currentTarget;
            const { selectionStart, selectionEnd, value } = target;
            props.onChange(`${value.slice(0, selectionStart)}  ${value.slice(selectionEnd)}`);
            requestAnimationFrame(() => target.setSelectionRange(selectionStart + 2, selectionStart + 2));
          }}
          onChange={(event) => props.onChange(event.target.value)}
        />
      )}
    </Field>
  );
}

/** The non-blank lines of a text. */
function linesOf(text: string): string[] {
  return text.split("\n").filter((line) => line !== "");
}

/**
 * A list of strings, one per line. The value holds the non-blank lines; the
 * text typed is kept as it is, so a line break typed at the end stays until
 * the next line is written.
 */
export function LinesField(props: {
  label: string;
  value: readonly string[];
  onChange: (lines: string[]) => void;
  errors?: string[];
  hint?: string;
  rows?: number;
}) {
  const [draft, setDraft] = useState(() => props.value.join("\n"));
  const drafted = linesOf(draft);
  // When the list changed elsewhere (undo, a pasted node), show it instead of the draft.
  const inStep = drafted.length === props.value.length && drafted.every((line, index) => line === props.value[index]);
  return (
    <CodeField
      label={props.label}
      rows={props.rows}
      value={inStep ? draft : props.value.join("\n")}
      errors={props.errors}
      hint={props.hint}
      onChange={(text) => {
        setDraft(text);
        props.onChange(linesOf(text));
      }}
    />
  );
}

/** A number input; empty means "not set" (the schema's default or the plan's). */
export function NumberField(props: {
  label: string;
  value: unknown;
  onChange: (value: number | undefined) => void;
  errors?: string[];
  hint?: string;
  placeholder?: string;
}) {
  const [draft, setDraft] = useState<string | null>(null);
  const shown = draft ?? (typeof props.value === "number" ? String(props.value) : "");
  return (
    <Field label={props.label} errors={props.errors} hint={props.hint}>
      {(id, invalid) => (
        <input
          id={id}
          className="input"
          inputMode="numeric"
          value={shown}
          placeholder={props.placeholder}
          aria-invalid={invalid}
          onBlur={() => setDraft(null)}
          onChange={(event) => {
            const raw = event.target.value.trim();
            setDraft(event.target.value);
            if (raw === "") props.onChange(undefined);
            else if (Number.isFinite(Number(raw))) props.onChange(Number(raw));
          }}
        />
      )}
    </Field>
  );
}

export function CheckField(props: {
  label: string;
  checked: unknown;
  onChange: (checked: boolean) => void;
  hint?: string;
  errors?: string[];
}) {
  const id = useId();
  return (
    <div className="field field-check">
      <label htmlFor={id} className="check">
        <input id={id} type="checkbox" checked={props.checked === true} onChange={(event) => props.onChange(event.target.checked)} />{" "}
        {props.label}
      </label>
      {props.hint && <div className="field-hint">{props.hint}</div>}
      <FieldErrors errors={props.errors} />
    </div>
  );
}

export function SelectField<T extends string>(props: {
  label: string;
  value: unknown;
  options: readonly T[];
  onChange: (value: T) => void;
  /** What the list shows for an option; the option itself when left out. */
  optionLabel?: (option: T) => string;
  errors?: string[];
  hint?: string;
}) {
  return (
    <Field label={props.label} errors={props.errors} hint={props.hint}>
      {(id, invalid) => (
        <select
          id={id}
          className="input"
          value={typeof props.value === "string" ? props.value : props.options[0]}
          aria-invalid={invalid}
          onChange={(event) => props.onChange(event.target.value as T)}
        >
          {props.options.map((option) => (
            <option key={option} value={option}>
              {props.optionLabel?.(option) ?? option}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** Key/value rows for environment variables; order is kept as entered. */
export function KeyValueField(props: {
  label: string;
  value: unknown;
  onChange: (value: Record<string, string>) => void;
  errors?: string[];
}) {
  const entries = Object.entries(
    typeof props.value === "object" && props.value !== null ? (props.value as Record<string, unknown>) : {},
  ).map(([key, value]) => [key, String(value)] as [string, string]);
  const write = (next: [string, string][]) => props.onChange(Object.fromEntries(next));
  return (
    <div className="field">
      <span className="field-title">{props.label}</span>
      {entries.map(([key, value], index) => (
        <div className="kv-row" key={index}>
          <input
            className="input mono"
            aria-label={`${props.label} name ${index + 1}`}
            value={key}
            onChange={(event) => write(entries.map((entry, i) => (i === index ? [event.target.value, entry[1]] : entry)))}
          />
          <span className="muted">=</span>
          <input
            className="input mono"
            aria-label={`${props.label} value ${index + 1}`}
            value={value}
            onChange={(event) => write(entries.map((entry, i) => (i === index ? [entry[0], event.target.value] : entry)))}
          />
          <button
            type="button"
            className="icon-button"
            aria-label={`Remove ${key || "variable"}`}
            onClick={() => write(entries.filter((_, i) => i !== index))}
          >
            ×
          </button>
        </div>
      ))}
      <button
        type="button"
        className="button button-small"
        onClick={() => {
          const taken = new Set(entries.map(([key]) => key));
          let name = "NAME";
          for (let n = 2; taken.has(name); n += 1) name = `NAME_${n}`;
          write([...entries, [name, ""]]);
        }}
      >
        Add variable
      </button>
      <FieldErrors errors={props.errors} />
    </div>
  );
}
