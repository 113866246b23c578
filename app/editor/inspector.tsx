"use client";

import { useMemo, useRef, useState } from "react";
import type { PlanProblem } from "@/lib/plan/plan-problem";
import {
  EdgeCondition,
  FailurePolicy,
  FileBatchMode,
  FileDeleteParams,
  FileReadParams,
  FileWriteParams,
  PlanSettings,
  SearchParams,
  ShellParams,
  WorkspacePath,
  type OperationType,
} from "@/lib/plan/schema";
import { useEditorSelector, useEditorStore } from "./editor-context";
import type { DependencyFlowEdge, OperationFlowNode, OperationSpec } from "./editor-model";
import { CheckField, CodeField, Field, FieldErrors, KeyValueField, NumberField, SelectField, TextField } from "./inspector-fields";
import { OPERATION_KINDS } from "./operation-kinds";

type Params = Record<string, unknown>;

/** Choices and hints come from the plan schema itself, so the form cannot drift from what validation accepts. */
const IF_EXISTS = FileWriteParams.shape.ifExists.unwrap().options;
const SEARCH_OUTPUTS = SearchParams.shape.output.unwrap().options;
const PATH_HINT = WorkspacePath.description;
type ErrorsAt = (path: string) => string[] | undefined;

/** Problems of one node by field path below the node (`params.path`, `params.edits.0.find`); `""` for the node itself. */
function errorsByField(problems: readonly PlanProblem[] | undefined): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const problem of problems ?? []) {
    const key = problem.path[0] === "nodes" ? problem.path.slice(2).join(".") : "";
    const list = map.get(key) ?? [];
    list.push(problem.message);
    map.set(key, list);
  }
  return map;
}

/**
 * The side panel: the selected node's form, the selected edge, or the plan's
 * settings. Read-only (a runner's or viewer's editor), every field is shown
 * disabled, as Settings does for what a role may not do.
 */
export function Inspector({ readOnly = false }: { readOnly?: boolean }) {
  const node = useEditorSelector((state) => state.graph.nodes.find((candidate) => candidate.selected));
  const selectedCount = useEditorSelector((state) => state.graph.nodes.reduce((count, candidate) => count + (candidate.selected ? 1 : 0), 0));
  const edge = useEditorSelector((state) => state.graph.edges.find((candidate) => candidate.selected));
  // A node's form keeps its identity across a rename (so focus moving from Id to Label stays where it went); it is keyed by the id it was opened with.
  const openedAs = useRef(new Map<string, string>());
  const content =
    selectedCount > 1 ? (
      <p className="muted inspector-empty">{selectedCount} nodes selected. Copy (Ctrl+C), delete (Del) or drag them together.</p>
    ) : node ? (
      <NodeInspector
        key={openedAs.current.get(node.id) ?? node.id}
        node={node}
        onRenaming={(from, to) => openedAs.current.set(to, openedAs.current.get(from) ?? from)}
      />
    ) : edge ? (
      <EdgeInspector edge={edge} />
    ) : (
      <PlanInspector />
    );
  return (
    <fieldset className="inspector-fieldset" disabled={readOnly}>
      {content}
    </fieldset>
  );
}

function NodeInspector({ node, onRenaming }: { node: OperationFlowNode; onRenaming(from: string, to: string): void }) {
  const store = useEditorStore();
  const problems = useEditorSelector((state) => state.validation.byNode.get(node.id));
  const errors = useMemo(() => errorsByField(problems), [problems]);
  const errorsAt: ErrorsAt = (path) => errors.get(path);
  const spec = useEditorSelector((state) => state.graph.specs.get(node.id)) ?? node.data.spec;
  const [idDraft, setIdDraft] = useState(node.id);
  const [idError, setIdError] = useState<string | null>(null);
  const kind = OPERATION_KINDS[spec.type];

  const update = (key: string, change: (spec: OperationSpec) => OperationSpec) => store.updateSpec(node.id, change, key);
  const setParam = (key: string, value: unknown) =>
    update(`params.${key}`, (current) => {
      const params = { ...current.params };
      if (value === undefined) delete params[key];
      else params[key] = value;
      return { ...current, params };
    });
  const setCommon = <K extends "label" | "retries" | "timeoutMs" | "checkpoint">(key: K, value: OperationSpec[K]) =>
    update(key, (current) => {
      const next = { ...current };
      if (value === undefined || value === "") delete next[key];
      else next[key] = value;
      return next;
    });

  const commitId = () => {
    const wanted = idDraft.trim();
    if (wanted === node.id) return setIdError(null);
    onRenaming(node.id, wanted);
    if (!store.renameNode(node.id, wanted)) setIdError(wanted ? `"${wanted}" is already used by another node` : "A node needs an id");
    else setIdError(null);
  };

  return (
    <div className="inspector" data-testid="inspector" aria-label={`Inspector for ${node.id}`}>
      <div className="inspector-head">
        <span className="op-icon" aria-hidden style={{ background: kind.color }}>
          {kind.icon}
        </span>{" "}
        <strong>{kind.title}</strong> <code className="muted">{spec.type}</code>
      </div>
      <FieldErrors errors={errors.get("")} />
      <Field label="Id" errors={[...(idError ? [idError] : []), ...(errors.get("id") ?? [])]}>
        {(id, invalid) => (
          <input
            id={id}
            className="input mono"
            value={idDraft}
            aria-invalid={invalid}
            onChange={(event) => setIdDraft(event.target.value)}
            onBlur={commitId}
            onKeyDown={(event) => event.key === "Enter" && commitId()}
          />
        )}
      </Field>
      <TextField label="Label" value={spec.label} onChange={(value) => setCommon("label", value)} errors={errorsAt("label")} placeholder={node.id} />
      <ParamsForm type={spec.type} params={spec.params} setParam={setParam} errorsAt={errorsAt} />
      <details className="inspector-more">
        <summary>Retries, timeout, checkpoint</summary>
        <NumberField label="Retries" value={spec.retries} onChange={(value) => setCommon("retries", value)} errors={errorsAt("retries")} placeholder="plan default" />
        <NumberField label="Timeout (ms)" value={spec.timeoutMs} onChange={(value) => setCommon("timeoutMs", value)} errors={errorsAt("timeoutMs")} placeholder="plan default" />
        <CheckField label="Checkpoint (never batch with others)" checked={spec.checkpoint} onChange={(value) => setCommon("checkpoint", value)} />
      </details>
      <button type="button" className="button button-small" onClick={() => store.deleteSelection()}>
        Delete node
      </button>
    </div>
  );
}

function ParamsForm({ type, params, setParam, errorsAt }: { type: OperationType; params: Params; setParam: (key: string, value: unknown) => void; errorsAt: ErrorsAt }) {
  const at = (key: string) => errorsAt(`params.${key}`);
  switch (type) {
    case "file.write":
      return (
        <>
          <TextField label="Path" mono value={params.path} onChange={(value) => setParam("path", value)} errors={at("path")} hint={PATH_HINT} />
          <CodeField label="Content" value={params.content} onChange={(value) => setParam("content", value)} errors={at("content")} rows={10} />
          <SelectField label="If the file exists" value={params.ifExists} options={IF_EXISTS} onChange={(value) => setParam("ifExists", value)} errors={at("ifExists")} />
        </>
      );
    case "file.edit":
      return (
        <>
          <TextField label="Path" mono value={params.path} onChange={(value) => setParam("path", value)} errors={at("path")} hint={PATH_HINT} />
          <EditsField value={params.edits} onChange={(value) => setParam("edits", value)} errorsAt={(suffix) => at(`edits${suffix}`)} />
        </>
      );
    case "file.delete":
      return (
        <>
          <TextField label="Path" mono value={params.path} onChange={(value) => setParam("path", value)} errors={at("path")} />
          <CheckField label="Missing is fine" hint={FileDeleteParams.shape.missingOk.description} checked={params.missingOk} onChange={(value) => setParam("missingOk", value)} />
        </>
      );
    case "file.move":
      return (
        <>
          <TextField label="From" mono value={params.from} onChange={(value) => setParam("from", value)} errors={at("from")} />
          <TextField label="To" mono value={params.to} onChange={(value) => setParam("to", value)} errors={at("to")} />
          <CheckField label="Overwrite the target" checked={params.overwrite} onChange={(value) => setParam("overwrite", value)} />
        </>
      );
    case "file.read":
      return (
        <>
          <CodeField
            label="Paths (one per line)"
            rows={4}
            value={Array.isArray(params.paths) ? params.paths.join("\n") : ""}
            onChange={(value) => setParam("paths", value.split("\n").filter((line, index, lines) => line !== "" || index < lines.length - 1))}
            errors={at("paths") ?? pathsErrors(errorsAt)}
          />
          <TextField label="Glob" mono value={params.glob} onChange={(value) => setParam("glob", value === "" ? undefined : value)} errors={at("glob")} placeholder="src/**/*.ts" />
          <NumberField label="Max bytes per file" hint={FileReadParams.shape.maxBytes.description} value={params.maxBytes} onChange={(value) => setParam("maxBytes", value)} errors={at("maxBytes")} />
          <NumberField label="From line" hint={FileReadParams.shape.offset.description} value={params.offset} onChange={(value) => setParam("offset", value)} errors={at("offset")} placeholder="1" />
          <NumberField label="Lines" hint={FileReadParams.shape.limit.description} value={params.limit} onChange={(value) => setParam("limit", value)} errors={at("limit")} placeholder="all" />
        </>
      );
    case "search":
      return (
        <>
          <TextField label="Pattern" mono value={params.pattern} onChange={(value) => setParam("pattern", value)} errors={at("pattern")} />
          <CheckField label="Regular expression" hint={SearchParams.shape.regex.description} checked={params.regex} onChange={(value) => setParam("regex", value)} errors={at("regex")} />
          <TextField label="Glob" mono value={params.glob} onChange={(value) => setParam("glob", value)} errors={at("glob")} hint={SearchParams.shape.glob.description} />
          <CheckField label="Case sensitive" checked={params.caseSensitive} onChange={(value) => setParam("caseSensitive", value)} />
          <NumberField label="Max matches" value={params.maxMatches} onChange={(value) => setParam("maxMatches", value)} errors={at("maxMatches")} />
          <SelectField label="Result lists" hint={SearchParams.shape.output.description} value={params.output} options={SEARCH_OUTPUTS} onChange={(value) => setParam("output", value)} errors={at("output")} />
        </>
      );
    case "shell":
      return (
        <>
          <CodeField label="Command" value={params.command} onChange={(value) => setParam("command", value)} errors={at("command")} rows={4} />
          <TextField label="Working directory" mono value={params.cwd} onChange={(value) => setParam("cwd", value)} errors={at("cwd")} />
          <KeyValueField label="Environment" value={params.env} onChange={(value) => setParam("env", value)} errors={at("env")} />
          <CheckField label="Background" hint={ShellParams.shape.background.description} checked={params.background} onChange={(value) => setParam("background", value)} errors={at("background")} />
          {params.background === true && <ReadinessField value={params.readyWhen} onChange={(value) => setParam("readyWhen", value)} errors={at("readyWhen") ?? errorsAt("params.readyWhen.output") ?? errorsAt("params.readyWhen.port")} />}
          {params.background === true && <CheckField label="Keep running after the run ends" hint={ShellParams.shape.keepRunning.description} checked={params.keepRunning} onChange={(value) => setParam("keepRunning", value)} />}
        </>
      );
  }
}

function pathsErrors(errorsAt: ErrorsAt): string[] | undefined {
  const found: string[] = [];
  for (let index = 0; index < 50; index += 1) found.push(...(errorsAt(`params.paths.${index}`) ?? []));
  return found.length ? found : undefined;
}

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
function EditsField({ value, onChange, errorsAt }: { value: unknown; onChange: (value: EditItem[]) => void; errorsAt: (suffix: string) => string[] | undefined }) {
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
                <button type="button" className="icon-button" aria-label={`Move edit ${index + 1} up`} disabled={index === 0} onClick={() => move(index, index - 1)}>
                  ↑
                </button>
                <button type="button" className="icon-button" aria-label={`Move edit ${index + 1} down`} disabled={index === edits.length - 1} onClick={() => move(index, index + 1)}>
                  ↓
                </button>
                <button type="button" className="icon-button" aria-label={`Remove edit ${index + 1}`} onClick={() => write(edits.filter((_, i) => i !== index))}>
                  ×
                </button>
              </span>
            </div>
            <CodeField label={`Find #${index + 1}`} rows={2} value={edit.find} onChange={(find) => write(edits.map((item, i) => (i === index ? { ...item, find } : item)))} errors={errorsAt(`.${index}.find`)} />
            <CodeField label={`Replace #${index + 1}`} rows={2} value={edit.replace} onChange={(replace) => write(edits.map((item, i) => (i === index ? { ...item, replace } : item)))} errors={errorsAt(`.${index}.replace`)} />
            <CheckField
              label="Replace every occurrence"
              checked={edit.all}
              onChange={(all) => write(edits.map((item, i) => (i === index ? (all ? { ...item, all: true } : { find: item.find, replace: item.replace }) : item)))}
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

function ReadinessField({ value, onChange, errors }: { value: unknown; onChange: (value: Readiness) => void; errors?: string[] }) {
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
      {mode === "output" && <TextField label="Output matches (regex)" mono value={record.output} onChange={(output) => onChange({ output })} placeholder="listening on" />}
      {mode === "port" && <NumberField label="TCP port accepts connections" value={record.port} onChange={(port) => onChange({ port: port ?? 0 })} />}
      <FieldErrors errors={errors} />
    </div>
  );
}

function EdgeInspector({ edge }: { edge: DependencyFlowEdge }) {
  const store = useEditorStore();
  const problems = useEditorSelector((state) => state.validation.byEdge.get(edge.id));
  const sourceLabel = useEditorSelector((state) => state.graph.specs.get(edge.source)?.label) || edge.source;
  const targetLabel = useEditorSelector((state) => state.graph.specs.get(edge.target)?.label) || edge.target;
  return (
    <div className="inspector" data-testid="inspector">
      <div className="inspector-head">
        <strong>Dependency</strong>
      </div>
      <p data-testid="edge-summary">
        <strong>{targetLabel}</strong> waits for <strong>{sourceLabel}</strong>.
      </p>
      <p className="muted small">
        <code>{edge.source}</code> → <code>{edge.target}</code>
      </p>
      <SelectField
        label="Condition"
        value={edge.data?.when ?? "success"}
        options={EdgeCondition.options}
        onChange={(when) => store.setEdgeCondition(edge.id, when)}
        hint="success: after it succeeds; failure: only if it failed; always: in any case (cleanup)"
        errors={problems?.map((problem) => problem.message)}
      />
      <button type="button" className="button button-small" onClick={() => store.deleteSelection()}>
        Delete dependency
      </button>
    </div>
  );
}

function PlanInspector() {
  const store = useEditorStore();
  const meta = useEditorSelector((state) => state.graph.meta);
  const problems = useEditorSelector((state) => state.validation.problems);
  const planErrors = useMemo(() => {
    const map = new Map<string, string[]>();
    for (const problem of problems) {
      if (problem.path[0] === "nodes" || problem.path[0] === "edges") continue;
      const key = problem.path.join(".");
      map.set(key, [...(map.get(key) ?? []), problem.message]);
    }
    return map;
  }, [problems]);
  const settings = meta.settings;
  const setSetting = (key: string, value: unknown) =>
    store.updateMeta((current) => {
      const next = { ...current.settings };
      if (value === undefined) delete next[key];
      else next[key] = value;
      return { ...current, settings: next };
    }, `settings.${key}`);
  return (
    <div className="inspector" data-testid="inspector">
      <div className="inspector-head">
        <strong>Plan</strong> <span className="muted">select a node or edge to edit it</span>
      </div>
      <TextField label="Plan name" value={meta.name} onChange={(name) => store.updateMeta((current) => ({ ...current, name }), "name")} errors={planErrors.get("name")} />
      <CodeField label="Description" rows={3} value={meta.description} onChange={(description) => store.updateMeta((current) => ({ ...current, description }), "description")} />
      <NumberField label="Concurrency" value={settings.concurrency} onChange={(value) => setSetting("concurrency", value)} errors={planErrors.get("settings.concurrency")} placeholder="8" />
      <SelectField label="When a node fails" value={settings.failurePolicy} options={FailurePolicy.options} onChange={(value) => setSetting("failurePolicy", value)} hint={PlanSettings.shape.failurePolicy.description} />
      <NumberField label="Default retries" value={settings.retries} onChange={(value) => setSetting("retries", value)} errors={planErrors.get("settings.retries")} placeholder="0" />
      <NumberField label="Default timeout (ms)" value={settings.timeoutMs} onChange={(value) => setSetting("timeoutMs", value)} errors={planErrors.get("settings.timeoutMs")} placeholder="600000" />
      <CheckField label="Batching" hint={PlanSettings.shape.batching.description} checked={settings.batching ?? true} onChange={(value) => setSetting("batching", value)} />
      <SelectField label="File batches" value={settings.fileBatchMode} options={FileBatchMode.options} onChange={(value) => setSetting("fileBatchMode", value)} hint={PlanSettings.shape.fileBatchMode.description} />
      <FieldErrors errors={planErrors.get("")} />
    </div>
  );
}
