"use client";

import { useEffect, useMemo, useRef, useState } from "react";
import type { OutputChunk } from "@/lib/run-view/run-view-state";

const LINE_HEIGHT = 17;
const OVERSCAN = 20;

interface LogLine {
  stream: "stdout" | "stderr";
  text: string;
}

/** Splits output chunks into lines; a line left open by one stream is continued only by that stream. */
function toLines(chunks: readonly OutputChunk[]): LogLine[] {
  const lines: LogLine[] = [];
  let open: LogLine | null = null;
  for (const chunk of chunks) {
    const pieces = chunk.data.split("\n");
    pieces.forEach((piece, index) => {
      const last = index === pieces.length - 1;
      if (open && open.stream === chunk.stream) open.text += piece;
      else if (piece !== "" || !last) {
        open = { stream: chunk.stream, text: piece };
        lines.push(open);
      }
      if (!last) open = null;
    });
  }
  return lines;
}

/**
 * A virtualised log: only the lines in view are in the DOM, so a node that
 * printed megabytes scrolls as smoothly as one that printed ten lines. It
 * follows the end while running unless the reader scrolls up; search filters lines.
 */
export function LogView({
  chunks,
  downloadHref,
  trimmed,
  truncated,
}: {
  chunks: readonly OutputChunk[];
  downloadHref: string;
  trimmed: boolean;
  truncated: boolean;
}) {
  const [query, setQuery] = useState("");
  const [follow, setFollow] = useState(true);
  const [scrollTop, setScrollTop] = useState(0);
  const viewport = useRef<HTMLDivElement>(null);
  const lines = useMemo(() => {
    const all = toLines(chunks);
    const needle = query.trim().toLowerCase();
    return needle ? all.filter((line) => line.text.toLowerCase().includes(needle)) : all;
  }, [chunks, query]);

  useEffect(() => {
    const element = viewport.current;
    if (follow && element) element.scrollTop = element.scrollHeight;
  }, [lines, follow]);

  const height = viewport.current?.clientHeight ?? 320;
  const first = Math.max(0, Math.floor(scrollTop / LINE_HEIGHT) - OVERSCAN);
  const last = Math.min(lines.length, Math.ceil((scrollTop + height) / LINE_HEIGHT) + OVERSCAN);

  return (
    <div className="log">
      <div className="log-toolbar">
        <input
          type="search"
          placeholder="Search output"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
          aria-label="Search output"
        />
        <label>
          <input type="checkbox" checked={follow} onChange={(event) => setFollow(event.target.checked)} /> Follow
        </label>
        <a href={downloadHref} download>
          Download full log
        </a>
      </div>
      {(trimmed || truncated) && (
        <div className="log-note">
          {truncated ? "Output beyond the storage cap was not kept. " : ""}
          {trimmed ? "Showing the newest output; download the log for all of it." : ""}
        </div>
      )}
      <div
        className="log-viewport"
        ref={viewport}
        data-testid="log-view"
        onScroll={(event) => {
          const element = event.currentTarget;
          setScrollTop(element.scrollTop);
          const atEnd = element.scrollHeight - element.scrollTop - element.clientHeight < LINE_HEIGHT * 2;
          if (atEnd !== follow) setFollow(atEnd);
        }}
      >
        {lines.length === 0 ? (
          <div className="log-empty">{query ? "No line matches." : "No output."}</div>
        ) : (
          <div style={{ height: lines.length * LINE_HEIGHT, position: "relative" }}>
            {lines.slice(first, last).map((line, index) => (
              <div key={first + index} className={`log-line log-${line.stream}`} style={{ top: (first + index) * LINE_HEIGHT }}>
                {line.text || " "}
              </div>
            ))}
          </div>
        )}
      </div>
    </div>
  );
}
