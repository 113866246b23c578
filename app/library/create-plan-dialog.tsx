"use client";

import { useState, type FormEvent } from "react";
import { queryKeys } from "@/app/_components/query-keys";
import { createPlan } from "../actions/create-plan";
import { Modal } from "../_components/modal";
import { useActionMutation } from "../_components/use-action-mutation";

/** Name, description and tags of a new, empty plan; opens the editor once created. */
export function CreatePlanDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (planId: string) => void }) {
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [tags, setTags] = useState("");
  const create = useActionMutation(createPlan, [queryKeys.plans.lists(), queryKeys.plans.tags()]);
  const errors = create.error?.fieldErrors ?? {};

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      {
        name,
        description,
        tags: tags
          .split(",")
          .map((tag) => tag.trim())
          .filter(Boolean),
      },
      { onSuccess: ({ planId }) => onCreated(planId) },
    );
  };

  return (
    <Modal title="New plan" onClose={onClose}>
      <form onSubmit={submit} className="form">
        <label className="field">
          <span>Name</span>
          <input
            className="input"
            autoFocus
            value={name}
            onChange={(event) => setName(event.target.value)}
            aria-invalid={Boolean(errors.name)}
          />
          {errors.name && <span className="field-error">{errors.name.join(" ")}</span>}
        </label>
        <label className="field">
          <span>Description</span>
          <textarea className="input" rows={3} value={description} onChange={(event) => setDescription(event.target.value)} />
        </label>
        <label className="field">
          <span>Tags (comma separated)</span>
          <input className="input" value={tags} onChange={(event) => setTags(event.target.value)} />
        </label>
        {create.error && !errors.name && <p className="field-error">{create.error.message}</p>}
        <div className="modal-foot">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={create.isPending}>
            Create and open
          </button>
        </div>
      </form>
    </Modal>
  );
}
