/** What each team role may do; the one table every action and route checks against. */
import type { RoleName } from "../auth/schemas";

export type Permission = "plan:read" | "plan:edit" | "run:start" | "run:repair" | "team:manage";

const GRANTS: Record<RoleName, readonly Permission[]> = {
  owner: ["plan:read", "plan:edit", "run:start", "run:repair", "team:manage"],
  editor: ["plan:read", "plan:edit", "run:start", "run:repair"],
  runner: ["plan:read", "run:start", "run:repair"],
  viewer: ["plan:read"],
};

export function roleAllows(role: RoleName, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}
