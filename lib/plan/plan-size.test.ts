import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { approximateJsonSize, MAX_ESTIMATE_PER_JSON_CHARACTER } from "./plan-size";
import { generatePlan } from "./testing/generate-plan";

describe("approximateJsonSize", () => {
  it("comes close to the length of the JSON text", () => {
    const plan = generatePlan({ nodes: 500, edges: 1_500, seed: 3 });
    const exact = JSON.stringify(plan).length;
    const approximate = approximateJsonSize(plan, Infinity);
    expect(approximate / exact).toBeGreaterThan(0.8);
    expect(approximate / exact).toBeLessThan(1.25);
    expect(approximateJsonSize({ a: "xyz", b: [1, true, null] }, Infinity)).toBe(2 + (1 + 4 + 5) + (1 + 4 + 2 + 3 + 8 + 5 + 5));
  });

  it("stops counting past the limit, self-referencing values included", () => {
    const loop: unknown[] = ["x"];
    loop.push(loop);
    const shared = { again: [] as unknown[] };
    shared.again.push(shared);
    expect(approximateJsonSize(loop, 1_000)).toBeGreaterThan(1_000);
    expect(approximateJsonSize(shared, 1_000)).toBeGreaterThan(1_000);
    expect(approximateJsonSize("x".repeat(5_000), 10)).toBe(5_002);
  });

  it(`never counts more than ${MAX_ESTIMATE_PER_JSON_CHARACTER} per character of the JSON text`, () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(approximateJsonSize(value, Infinity)).toBeLessThanOrEqual(MAX_ESTIMATE_PER_JSON_CHARACTER * JSON.stringify(value).length);
      }),
      { numRuns: 2_000 },
    );
    const worst = Array.from({ length: 1_000 }, () => 1);
    expect(approximateJsonSize(worst, Infinity) / JSON.stringify(worst).length).toBeGreaterThan(MAX_ESTIMATE_PER_JSON_CHARACTER / 2 - 0.1);
  });
});
