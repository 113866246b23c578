import type { NodeStatus } from "@/lib/run-events/run-events";

/** One look per status, shared by the graph, the timeline and the detail panel; every text colour reads at 4.5:1 or more on its background. */
export const STATUS_COLORS: Record<NodeStatus, { border: string; background: string; text: string; glyph: string }> = {
  pending: { border: "#ced4da", background: "#ffffff", text: "#5c636a", glyph: "○" },
  queued: { border: "#a5d8ff", background: "#f8fbff", text: "#1971c2", glyph: "◔" },
  running: { border: "#1c7ed6", background: "#e7f5ff", text: "#1864ab", glyph: "◐" },
  succeeded: { border: "#2f9e44", background: "#ebfbee", text: "#237032", glyph: "✓" },
  failed: { border: "#e03131", background: "#fff5f5", text: "#c92a2a", glyph: "✗" },
  skipped: { border: "#adb5bd", background: "#f8f9fa", text: "#5c636a", glyph: "⤼" },
  cancelled: { border: "#f08c00", background: "#fff9db", text: "#a35200", glyph: "■" },
  interrupted: { border: "#f08c00", background: "#fff4e6", text: "#b3400c", glyph: "⚡" },
};
