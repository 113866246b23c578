"use client";

import { useState } from "react";
import { parsePlanJson } from "@/lib/library/plan-json";
import type { PlanProblem } from "@/lib/plan/plan-problem";
import { problemField } from "@/lib/plan/problem-location";
import { validatePlan } from "@/lib/plan/validate-plan";
import { queryKeys } from "@/app/_components/query-keys";
import { importPlan } from "../actions/import-plan";
import { Modal } from "../_components/modal";
import { useActionMutation } from "../_components/use-action-mutation";

type Checked =
  | { state: "empty" }
  | { state: "invalid"; fileName: string; problems: PlanProblem[] }
  | { state: "valid"; fileName: string; text: string; name: string; nodes: number; edges: number };

/**
 * Checks the file in the browser with the same `validatePlan` the server runs,
 * so every problem is listed by node and field before anything is sent; the
 * server validates again on import.
 */
export function ImportPlanDialog({ onClose, onImported }: { onClose: () => void; onImported: (planId: string) => void }) {
  const [checked, setChecked] = useState<Checked>({ state: "empty" });
  const [tags, setTags] = useState("");
  const importing = useActionMutation(importPlan, [queryKeys.plans.lists(), queryKeys.plans.tags()]);

  const check = async (file: File) => {
    importing.reset();
    const text = await file.text();
    const parsed = parsePlanJson(text);
    if (!parsed.ok) {
      setChecked({
        state: "invalid",
        fileName: file.name,
        problems: [{ path: [], code: "invalid-input", message: parsed.message, severity: "error" }],
      });
      return;
    }
    const result = validatePlan(parsed.value);
    if (!result.ok) setChecked({ state: "invalid", fileName: file.name, problems: result.problems });
    else
      setChecked({
        state: "valid",
        fileName: file.name,
        text,
        name: result.plan.name,
        nodes: result.plan.nodes.length,
        edges: result.plan.edges.length,
      });
  };

  // The server's messages name their node already; the keys are document paths, which are for programs.
  const serverErrors = importing.error ? Object.values(importing.error.fieldErrors).flat() : [];
  return (
    <Modal title="Import a plan" onClose={onClose} wide>
      <div className="form">
        <label className="field">
          <span>Plan JSON file</span>
          <input
            type="file"
            accept=".json,application/json"
            aria-label="Plan JSON file"
            onChange={(event) => {
              const file = event.target.files?.[0];
              if (file) void check(file);
            }}
          />
        </label>
        <label className="field">
          <span>Tags (comma separated)</span>
          <input className="input" value={tags} onChange={(event) => setTags(event.target.value)} />
        </label>
        {checked.state === "invalid" && <ImportProblems fileName={checked.fileName} problems={checked.problems} />}
        {checked.state === "valid" && (
          <p className="notice" role="status">
            <strong>{checked.name}</strong>: {checked.nodes} operation{checked.nodes === 1 ? "" : "s"}, {checked.edges}{" "}
            {checked.edges === 1 ? "dependency" : "dependencies"} — ready to import.
          </p>
        )}
        {importing.error && (
          <div className="notice notice-error" role="alert">
            {importing.error.message}
            <ul>
              {serverErrors.map((message, index) => (
                <li key={index}>{message}</li>
              ))}
            </ul>
          </div>
        )}
        <div className="modal-foot">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            className="button button-primary"
            disabled={checked.state !== "valid" || importing.isPending}
            onClick={() => {
              if (checked.state !== "valid") return;
              importing.mutate(
                {
                  text: checked.text,
                  tags: tags
                    .split(",")
                    .map((tag) => tag.trim())
                    .filter(Boolean),
                },
                { onSuccess: ({ planId }) => onImported(planId) },
              );
            }}
          >
            Import
          </button>
        </div>
      </div>
    </Modal>
  );
}

/** Why a file cannot be imported: each problem with its node and field. */
function ImportProblems({ fileName, problems }: { fileName: string; problems: readonly PlanProblem[] }) {
  return (
    <div className="import-problems" role="alert">
      <p>
        <strong>{fileName}</strong> cannot be imported: {problems.length} problem{problems.length === 1 ? "" : "s"}.
      </p>
      <table className="table compact">
        <thead>
          <tr>
            <th>Node</th>
            <th>Field</th>
            <th>Problem</th>
          </tr>
        </thead>
        <tbody>
          {problems.map((problem, index) => (
            <tr key={index} data-testid="import-problem">
              <td className="mono">{problem.nodeId ?? problem.edgeId ?? "plan"}</td>
              <td className="mono">{problemField(problem) || "—"}</td>
              <td>{problem.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
