import type { HazardCode } from "./execution-plan";

/** The note that says how many hazards of a code were found beyond the per-code cap and left out of the list. */
export function unlistedHazardsNote(code: HazardCode, unlisted: number, cap: number): string {
  return `${unlisted} more "${code}" hazard(s) were found but not listed (${cap} are).`;
}
