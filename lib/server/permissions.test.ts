import { describe, expect, it } from "vitest";
import { roleAllows, type Permission } from "./permissions";
import type { RoleName } from "../auth/schemas";

/** The product's role table, written out in full so a change to GRANTS must change this too. */
const TABLE: Record<RoleName, Record<Permission, boolean>> = {
  owner: { "plan:read": true, "plan:edit": true, "run:start": true, "run:repair": true, "team:manage": true },
  editor: { "plan:read": true, "plan:edit": true, "run:start": true, "run:repair": true, "team:manage": false },
  runner: { "plan:read": true, "plan:edit": false, "run:start": true, "run:repair": true, "team:manage": false },
  viewer: { "plan:read": true, "plan:edit": false, "run:start": false, "run:repair": false, "team:manage": false },
};

describe("roleAllows", () => {
  const cases = Object.entries(TABLE).flatMap(([role, grants]) =>
    Object.entries(grants).map(([permission, allowed]) => [role as RoleName, permission as Permission, allowed] as const),
  );
  it.each(cases)("%s may %s: %s", (role, permission, allowed) => {
    expect(roleAllows(role, permission)).toBe(allowed);
  });
});
