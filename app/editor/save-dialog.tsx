"use client";

import { useState, type FormEvent } from "react";
import { Modal } from "../_components/modal";

/**
 * Asks for the version message. A plan with problems can only be saved as a
 * draft, which cannot run; the dialog says so rather than failing.
 */
export function SaveDialog({
  problemCount,
  pending,
  error,
  onSave,
  onClose,
}: {
  problemCount: number;
  pending: boolean;
  error: string | null;
  onSave: (message: string, asDraft: boolean) => void;
  onClose: () => void;
}) {
  const [message, setMessage] = useState("");
  const asDraft = problemCount > 0;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSave(message, asDraft);
  };
  return (
    <Modal title="Save a new version" onClose={onClose}>
      <form className="form" onSubmit={submit}>
        <label className="field">
          <span>What changed?</span>
          <input
            className="input"
            autoFocus
            value={message}
            onChange={(event) => setMessage(event.target.value)}
            placeholder="e.g. Build after the models are written"
            aria-label="Version message"
          />
        </label>
        {asDraft && (
          <p className="notice notice-warning">
            The plan has {problemCount} problem{problemCount === 1 ? "" : "s"}. It will be saved as a <strong>draft</strong>, which cannot
            run until they are fixed.
          </p>
        )}
        {error && (
          <p className="notice notice-error" role="alert">
            {error}
          </p>
        )}
        <div className="modal-foot">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={pending}>
            {asDraft ? "Save as draft" : "Save version"}
          </button>
        </div>
      </form>
    </Modal>
  );
}
