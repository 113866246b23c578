"use client";

import { OPERATION_TYPES, type OperationType } from "@/lib/plan/schema";
import { OPERATION_KINDS } from "./operation-kinds";

export const PALETTE_MIME = "application/x-batchboard-operation";

/** Operation kinds to drag onto the canvas (or click to add at the centre). */
export function Palette({ onAdd }: { onAdd: (type: OperationType) => void }) {
  return (
    <div className="palette" aria-label="Operations palette">
      <div className="panel-title">Operations</div>
      {OPERATION_TYPES.map((type) => {
        const kind = OPERATION_KINDS[type];
        return (
          <button
            key={type}
            type="button"
            className="palette-item"
            draggable
            data-testid={`palette-${type}`}
            title={`${kind.hint} — drag onto the canvas, or click to add`}
            onDragStart={(event) => {
              event.dataTransfer.setData(PALETTE_MIME, type);
              event.dataTransfer.effectAllowed = "move";
            }}
            onClick={() => onAdd(type)}
          >
            <span className="op-icon" aria-hidden style={{ background: kind.color }}>
              {kind.icon}
            </span>
            <span>
              <span className="palette-title">{kind.title}</span>
              <span className="palette-type">{type}</span>
            </span>
          </button>
        );
      })}
    </div>
  );
}
