"use client";

import { useMemo, useRef, useState } from "react";
import type { PlanProblem } from "@/lib/plan/plan-problem";
import { EdgeCondition, FailurePolicy, FileBatchMode, PlanSettings } from "@/lib/plan/schema";
import { descriptionOf } from "@/lib/plan/mini-zod";
import { useEditorSelector, useEditorStore } from "./editor-context";
import type { DependencyFlowEdge, OperationFlowNode, OperationSpec } from "./editor-model";
import { CheckField, CodeField, Field, FieldErrors, NumberField, SelectField, TextField } from "./inspector-fields";
import { OPERATION_KINDS } from "./operation-kinds";
import { ParamsForm, type ErrorsAt } from "./params-form";

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
  const selectedCount = useEditorSelector((state) =>
    state.graph.nodes.reduce((count, candidate) => count + (candidate.selected ? 1 : 0), 0),
  );
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
  const setParams = (changes: Record<string, unknown>) =>
    update(`params.${Object.keys(changes).join(",")}`, (current) => {
      const params = { ...current.params };
      for (const [key, value] of Object.entries(changes)) {
        if (value === undefined) delete params[key];
        else params[key] = value;
      }
      return { ...current, params };
    });
  const setParam = (key: string, value: unknown) => setParams({ [key]: value });
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
      <TextField
        label="Label"
        value={spec.label}
        onChange={(value) => setCommon("label", value)}
        errors={errorsAt("label")}
        placeholder={node.id}
      />
      <ParamsForm type={spec.type} params={spec.params} setParam={setParam} setParams={setParams} errorsAt={errorsAt} />
      <details className="inspector-more">
        <summary>Retries, timeout, checkpoint</summary>
        <NumberField
          label="Retries"
          value={spec.retries}
          onChange={(value) => setCommon("retries", value)}
          errors={errorsAt("retries")}
          placeholder="plan default"
        />
        <NumberField
          label="Timeout (ms)"
          value={spec.timeoutMs}
          onChange={(value) => setCommon("timeoutMs", value)}
          errors={errorsAt("timeoutMs")}
          placeholder="plan default"
        />
        <CheckField
          label="Checkpoint (never batch with others)"
          checked={spec.checkpoint}
          onChange={(value) => setCommon("checkpoint", value)}
        />
      </details>
      <button type="button" className="button button-small" onClick={() => store.deleteSelection()}>
        Delete node
      </button>
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
      <TextField
        label="Plan name"
        value={meta.name}
        onChange={(name) => store.updateMeta((current) => ({ ...current, name }), "name")}
        errors={planErrors.get("name")}
      />
      <CodeField
        label="Description"
        rows={3}
        value={meta.description}
        onChange={(description) => store.updateMeta((current) => ({ ...current, description }), "description")}
      />
      <NumberField
        label="Concurrency"
        value={settings.concurrency}
        onChange={(value) => setSetting("concurrency", value)}
        errors={planErrors.get("settings.concurrency")}
        placeholder="8"
      />
      <SelectField
        label="When a node fails"
        value={settings.failurePolicy}
        options={FailurePolicy.options}
        onChange={(value) => setSetting("failurePolicy", value)}
        hint={descriptionOf(PlanSettings.shape.failurePolicy)}
      />
      <NumberField
        label="Default retries"
        value={settings.retries}
        onChange={(value) => setSetting("retries", value)}
        errors={planErrors.get("settings.retries")}
        placeholder="0"
      />
      <NumberField
        label="First retry delay (ms)"
        hint={descriptionOf(PlanSettings.shape.retryBackoffMs)}
        value={settings.retryBackoffMs}
        onChange={(value) => setSetting("retryBackoffMs", value)}
        errors={planErrors.get("settings.retryBackoffMs")}
        placeholder="1000"
      />
      <NumberField
        label="Default timeout (ms)"
        value={settings.timeoutMs}
        onChange={(value) => setSetting("timeoutMs", value)}
        errors={planErrors.get("settings.timeoutMs")}
        placeholder="600000"
      />
      <CheckField
        label="Batching"
        hint={descriptionOf(PlanSettings.shape.batching)}
        checked={settings.batching ?? true}
        onChange={(value) => setSetting("batching", value)}
      />
      <SelectField
        label="File batches"
        value={settings.fileBatchMode}
        options={FileBatchMode.options}
        onChange={(value) => setSetting("fileBatchMode", value)}
        hint={descriptionOf(PlanSettings.shape.fileBatchMode)}
      />
      <FieldErrors errors={planErrors.get("")} />
    </div>
  );
}
