"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useDeferredValue, useState } from "react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { PlanSummary } from "@/lib/db/plans";
import { queryKeys } from "@/app/_components/query-keys";
import { listPlans } from "../actions/list-plans";
import { listTags } from "../actions/list-tags";
import { archivePlan } from "../actions/archive-plan";
import { restorePlan } from "../actions/restore-plan";
import { duplicatePlan } from "../actions/duplicate-plan";
import { unwrap, useActionMutation } from "../_components/use-action-mutation";
import { EmptyState } from "../_components/empty-state";
import { CreatePlanDialog } from "./create-plan-dialog";
import { ImportPlanDialog } from "./import-plan-dialog";
import { LibraryFilters } from "./library-filters";
import { PlanRow } from "./plan-row";
import "../_components/ui.css";

interface LibraryViewProps {
  teamName: string;
  initialPlans: PlanSummary[];
  initialTags: string[];
}

/** The team's plan library: search, tag filter, archived view and the row actions. */
export function LibraryView({ teamName, initialPlans, initialTags }: LibraryViewProps) {
  const router = useRouter();
  const [search, setSearch] = useState("");
  const [tag, setTag] = useState("");
  const [archived, setArchived] = useState(false);
  const [dialog, setDialog] = useState<"create" | "import" | null>(null);
  const [notice, setNotice] = useState<{ text: string; planId?: string } | null>(null);
  const deferredSearch = useDeferredValue(search.trim());
  const isDefaultFilter = deferredSearch === "" && tag === "" && !archived;

  const plans = useQuery({
    queryKey: queryKeys.plans.list({ search: deferredSearch, tag, archived }),
    queryFn: () => unwrap(listPlans({ search: deferredSearch, tag, archived })),
    initialData: isDefaultFilter ? initialPlans : undefined,
    placeholderData: keepPreviousData,
  });
  const tags = useQuery({ queryKey: queryKeys.plans.tags(), queryFn: () => unwrap(listTags({})), initialData: initialTags });

  const lists = [queryKeys.plans.lists(), queryKeys.plans.tags()];
  const archive = useActionMutation(archivePlan, lists);
  const restore = useActionMutation(restorePlan, lists);
  const duplicate = useActionMutation(duplicatePlan, lists);
  const failure = archive.error ?? restore.error ?? duplicate.error;

  const rows = plans.data ?? [];
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Library</h1>
          <p>{teamName}&apos;s plans</p>
        </div>
        <div className="library-actions">
          <button type="button" className="button" onClick={() => setDialog("import")}>
            Import JSON…
          </button>
          <button type="button" className="button button-primary" onClick={() => setDialog("create")}>
            New plan
          </button>
        </div>
      </div>

      <LibraryFilters
        search={search}
        onSearch={setSearch}
        tag={tag}
        tags={tags.data ?? []}
        onTag={setTag}
        archived={archived}
        onArchived={setArchived}
      />

      {notice && (
        <div className="notice" role="status">
          {notice.text} {notice.planId && <Link href={`/plans/${notice.planId}`}>Open it</Link>}
        </div>
      )}
      {failure && (
        <div className="notice notice-error" role="alert">
          {failure.message}
        </div>
      )}

      {rows.length === 0 ? (
        isDefaultFilter ? (
          <EmptyState icon="🗂️" title="No plans yet">
            <p>A plan is a graph of file operations and commands. Create one, or import a plan JSON file.</p>
          </EmptyState>
        ) : (
          <EmptyState icon="🔍" title={archived ? "No archived plans match" : "No plans match"}>
            <p>Try another search or tag.</p>
          </EmptyState>
        )
      ) : (
        <div className="card">
          <table className="table">
            <thead>
              <tr>
                <th>Plan</th>
                <th>Tags</th>
                <th>Owner</th>
                <th>Version</th>
                <th>Last run</th>
                <th aria-label="Actions" />
              </tr>
            </thead>
            <tbody>
              {rows.map((plan) => (
                <PlanRow
                  key={plan.id}
                  plan={plan}
                  busy={duplicate.isPending}
                  onTag={setTag}
                  onDuplicate={() =>
                    duplicate.mutate(
                      { planId: plan.id },
                      { onSuccess: (copy) => setNotice({ text: `Duplicated as "${copy.name}".`, planId: copy.planId }) },
                    )
                  }
                  onArchive={() =>
                    archive.mutate({ planId: plan.id }, { onSuccess: () => setNotice({ text: `Archived "${plan.name}".` }) })
                  }
                  onRestore={() =>
                    restore.mutate(
                      { planId: plan.id },
                      { onSuccess: () => setNotice({ text: `Restored "${plan.name}".`, planId: plan.id }) },
                    )
                  }
                />
              ))}
            </tbody>
          </table>
        </div>
      )}

      {dialog === "create" && <CreatePlanDialog onClose={() => setDialog(null)} onCreated={(planId) => router.push(`/plans/${planId}`)} />}
      {dialog === "import" && <ImportPlanDialog onClose={() => setDialog(null)} onImported={(planId) => router.push(`/plans/${planId}`)} />}
    </>
  );
}
