/** How each operation kind looks in the palette and on the canvas. */
import type { OperationType } from "@/lib/plan/schema";

export interface OperationKindInfo {
  title: string;
  /** A short glyph drawn in the kind's colour (no emoji: servers and CI often lack an emoji font). */
  icon: string;
  color: string;
  hint: string;
}

export const OPERATION_KINDS: Record<OperationType, OperationKindInfo> = {
  "file.write": { title: "Write file", icon: "W", color: "#1c7ed6", hint: "Create or overwrite a file" },
  "file.edit": { title: "Edit file", icon: "E", color: "#7048e8", hint: "Ordered find/replace edits, atomic" },
  "file.delete": { title: "Delete file", icon: "D", color: "#e03131", hint: "Remove a file" },
  "file.move": { title: "Move file", icon: "M", color: "#f08c00", hint: "Rename or move a file" },
  "file.read": { title: "Read files", icon: "R", color: "#0c8599", hint: "Read paths or a glob" },
  search: { title: "Search", icon: "S", color: "#2f9e44", hint: "Literal or regex search over a glob" },
  shell: { title: "Shell command", icon: "$", color: "#343a40", hint: "Run a command, optionally in the background" },
};
