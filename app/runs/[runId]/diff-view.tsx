"use client";

import { useQuery } from "@tanstack/react-query";
import { queryKeys } from "@/app/_components/query-keys";
import type { FileChangeView } from "@/lib/run-view/run-view-state";
import { runApi } from "./run-api";

/** A unified diff with added and removed lines coloured. */
export function DiffView({ diff }: { diff: string }) {
  return (
    <pre className="diff" data-testid="diff-view">
      {diff.split("\n").map((line, index) => {
        const kind =
          line.startsWith("+++") || line.startsWith("---")
            ? "meta"
            : line.startsWith("+")
              ? "add"
              : line.startsWith("-")
                ? "del"
                : line.startsWith("@@")
                  ? "hunk"
                  : "ctx";
        return (
          <span key={index} className={`diff-${kind}`}>
            {line}
            {"\n"}
          </span>
        );
      })}
    </pre>
  );
}

/** A file change's diff: a dry run's comes with its event, a real change's is read from the run's journal when shown. */
export function FileChangeDiff({ runId, change }: { runId: string; change: FileChangeView }) {
  const { changeSeq } = change;
  const journalled = useQuery({
    queryKey: queryKeys.runs.change(runId, changeSeq ?? 0),
    queryFn: () => runApi.change(runId, changeSeq ?? 0),
    enabled: change.diff === undefined && changeSeq !== undefined,
    // A journal entry never changes; a just-made one may take a flush (milliseconds) to be stored, which the retries cover.
    staleTime: Infinity,
  });
  const diff = change.diff ?? journalled.data?.diff;
  if (diff) return <DiffView diff={diff} />;
  if (journalled.isPending && changeSeq !== undefined) return <p className="muted">Loading the diff…</p>;
  if (journalled.isError) return <p className="muted">The diff could not be loaded: {journalled.error.message}</p>;
  return <p className="muted">No text diff.</p>;
}
