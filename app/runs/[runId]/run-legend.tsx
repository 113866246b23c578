import { STATUS_COLORS } from "./status-colors";

const SHOWN = ["pending", "running", "succeeded", "failed", "skipped", "cancelled", "interrupted"] as const;

/** What the graph's colours and marks mean: statuses, the critical path, batch stripes and the cause chain. */
export function RunLegend() {
  return (
    <details className="run-legend" data-testid="run-legend">
      <summary>Legend</summary>
      <ul aria-label="Legend">
        {SHOWN.map((status) => (
          <li key={status}>
            <span
              className="legend-swatch"
              style={{ borderColor: STATUS_COLORS[status].border, background: STATUS_COLORS[status].background }}
              aria-hidden
            />
            <span style={{ color: STATUS_COLORS[status].text }} aria-hidden>
              {STATUS_COLORS[status].glyph}
            </span>{" "}
            {status}
          </li>
        ))}
        <li>
          <span className="legend-critical" aria-hidden>
            ◆
          </span>{" "}
          on the critical path: the longest chain, which sets the run&apos;s shortest possible duration
        </li>
        <li>
          <span className="legend-stripe" aria-hidden /> stripe on the left: the node&apos;s batch; nodes sharing a colour run together as
          one batch
        </li>
        <li>
          <span className="legend-cause" aria-hidden /> highlighted outline: the chain from a selected skipped node back to the failure that
          caused it
        </li>
        <li>
          <span className="legend-edge legend-edge-failure" aria-hidden /> runs only if the earlier node fails ·{" "}
          <span className="legend-edge legend-edge-always" aria-hidden /> runs in any case
        </li>
      </ul>
    </details>
  );
}
