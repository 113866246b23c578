/**
 * The one query-key factory. Every `useQuery` and every invalidation after a
 * mutation builds its key here, so "which caches does saving a plan touch?"
 * has one answer: keys are nested, and invalidating a prefix refreshes
 * everything below it.
 *
 * @example
 * useQuery({ queryKey: queryKeys.plans.list({ search: "build" }), queryFn: … });
 * queryClient.invalidateQueries({ queryKey: queryKeys.plans.lists() });
 */
export interface PlanListFilters {
  search?: string;
  tag?: string;
  archived?: boolean;
}

export const queryKeys = {
  plans: {
    all: ["plans"] as const,
    lists: () => [...queryKeys.plans.all, "list"] as const,
    list: (filters: PlanListFilters) =>
      [...queryKeys.plans.lists(), { search: filters.search ?? "", tag: filters.tag ?? "", archived: filters.archived ?? false }] as const,
    tags: () => [...queryKeys.plans.all, "tags"] as const,
    detail: (planId: string) => [...queryKeys.plans.all, "detail", planId] as const,
    versions: (planId: string) => [...queryKeys.plans.detail(planId), "versions"] as const,
    version: (planId: string, number: number) => [...queryKeys.plans.detail(planId), "version", number] as const,
  },
  runs: {
    all: ["runs"] as const,
    change: (runId: string, changeSeq: number) => [...queryKeys.runs.all, runId, "change", changeSeq] as const,
  },
} as const;
