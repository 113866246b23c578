"use client";

/** Fields holding a structured value: a multi-edit's ordered edits, a background command's readiness and a search's check. */
import { isRecord } from "@/lib/plan/plan-view";
import type { SearchExpectation } from "@/lib/plan/schema";
import { CheckField, CodeField, FieldErrors, NumberField, SelectField, TextField } from "./inspector-fields";

interface EditItem {
  find: string;
  replace: string;
  all?: boolean;
}

function editsOf(value: unknown): EditItem[] {
  if (!Array.isArray(value)) return [];
  return value.map((item: unknown) => {
    const record = typeof item === "object" && item !== null ? (item as Record<string, unknown>) : {};
    return { find: String(record.find ?? ""), replace: String(record.replace ?? ""), ...(record.all === true ? { all: true } : {}) };
  });
}

/** The ordered find/replace list of a multi-edit: edits apply in this order, each to the previous result. */
export function EditsField({
  value,
  onChange,
  errorsAt,
}: {
  value: unknown;
  onChange: (value: EditItem[]) => void;
  errorsAt: (suffix: string) => string[] | undefined;
}) {
  const edits = editsOf(value);
  const write = (next: EditItem[]) => onChange(next);
  const move = (from: number, to: number) => {
    const next = [...edits];
    const [item] = next.splice(from, 1);
    if (item) next.splice(to, 0, item);
    write(next);
  };
  return (
    <div className="field">
      <span className="field-title">Edits, applied in order</span>
      <FieldErrors errors={errorsAt("")} />
      <ol className="edit-list">
        {edits.map((edit, index) => (
          <li key={index} className="edit-item" data-testid="edit-item">
            <div className="edit-item-head">
              <strong>#{index + 1}</strong>
              <span className="edit-item-actions">
                <button
                  type="button"
                  className="icon-button"
                  aria-label={`Move edit ${index + 1} up`}
                  disabled={index === 0}
                  onClick={() => move(index, index - 1)}
                >
                  ↑
                </button>
                <button
                  type="button"
                  className="icon-button"
                  aria-label={`Move edit ${index + 1} down`}
                  disabled={index === edits.length - 1}
                  onClick={() => move(index, index + 1)}
                >
                  ↓
                </button>
                <button
                  type="button"
                  className="icon-button"
                  aria-label={`Remove edit ${index + 1}`}
                  onClick={() => write(edits.filter((_, i) => i !== index))}
                >
                  ×
                </button>
              </span>
            </div>
            <CodeField
              label={`Find #${index + 1}`}
              rows={2}
              value={edit.find}
              onChange={(find) => write(edits.map((item, i) => (i === index ? { ...item, find } : item)))}
              errors={errorsAt(`.${index}.find`)}
            />
            <CodeField
              label={`Replace #${index + 1}`}
              rows={2}
              value={edit.replace}
              onChange={(replace) => write(edits.map((item, i) => (i === index ? { ...item, replace } : item)))}
              errors={errorsAt(`.${index}.replace`)}
            />
            <CheckField
              label="Replace every occurrence"
              checked={edit.all}
              onChange={(all) =>
                write(
                  edits.map((item, i) =>
                    i === index ? (all ? { ...item, all: true } : { find: item.find, replace: item.replace }) : item,
                  ),
                )
              }
            />
            <FieldErrors errors={errorsAt(`.${index}`)} />
          </li>
        ))}
      </ol>
      <button type="button" className="button button-small" onClick={() => write([...edits, { find: "", replace: "" }])}>
        Add edit
      </button>
    </div>
  );
}

type Readiness = { output: string } | { port: number } | undefined;

export function ReadinessField({ value, onChange, errors }: { value: unknown; onChange: (value: Readiness) => void; errors?: string[] }) {
  const record = typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
  const mode = "port" in record ? "port" : "output" in record ? "output" : "none";
  return (
    <div className="field">
      <SelectField
        label="Ready when"
        value={mode}
        options={["none", "output", "port"] as const}
        onChange={(next) => onChange(next === "none" ? undefined : next === "output" ? { output: "" } : { port: 3000 })}
        hint="none: ready as soon as it starts"
      />
      {mode === "output" && (
        <TextField
          label="Output matches (regex)"
          mono
          value={record.output}
          onChange={(output) => onChange({ output })}
          placeholder="listening on"
        />
      )}
      {mode === "port" && (
        <NumberField label="TCP port accepts connections" value={record.port} onChange={(port) => onChange({ port: port ?? 0 })} />
      )}
      <FieldErrors errors={errors} />
    </div>
  );
}

const SEARCH_CHECKS = ["off", "none", "any", "count"] as const;
type SearchCheck = (typeof SEARCH_CHECKS)[number];
const SEARCH_CHECK_LABELS: Record<SearchCheck, string> = {
  off: "no check",
  none: "none: no pattern may match",
  any: "any: every pattern must match",
  count: "count: lines per pattern in range",
};

/** A search's `expect`: whether the search is a check that fails its node, and on what count of matching lines. */
export function SearchCheckField({
  value,
  onChange,
  errorsAt,
  hint,
}: {
  value: unknown;
  onChange: (value: SearchExpectation | undefined) => void;
  errorsAt: (suffix: string) => string[] | undefined;
  hint?: string;
}) {
  const range = isRecord(value) ? value : null;
  const mode: SearchCheck = value === "none" || value === "any" ? value : range ? "count" : "off";
  const setBound = (key: "min" | "max", bound: number | undefined) => {
    const next: { min?: number; max?: number } = {};
    for (const side of ["min", "max"] as const) {
      const current = side === key ? bound : range?.[side];
      if (typeof current === "number") next[side] = current;
    }
    onChange(next);
  };
  return (
    <div className="field">
      <SelectField
        label="Check"
        value={mode}
        options={SEARCH_CHECKS}
        optionLabel={(option) => SEARCH_CHECK_LABELS[option]}
        onChange={(next) => onChange(next === "off" ? undefined : next === "count" ? { min: 1 } : next)}
        hint={hint}
        errors={errorsAt("")}
      />
      {mode === "count" && (
        <>
          <NumberField
            label="At least (matching lines per pattern)"
            value={range?.min}
            onChange={(min) => setBound("min", min)}
            errors={errorsAt(".min")}
          />
          <NumberField
            label="At most (matching lines per pattern)"
            value={range?.max}
            onChange={(max) => setBound("max", max)}
            errors={errorsAt(".max")}
          />
        </>
      )}
    </div>
  );
}
