import { describe, expect, it } from "vitest";
import { freePosition, NEW_NODE_SIZE, type Box } from "./free-position";

const box = (position: { x: number; y: number }): Box => ({ ...position, ...NEW_NODE_SIZE });
const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe("freePosition", () => {
  it("centres a node on the point when nothing is there", () => {
    expect(freePosition({ x: 500, y: 300 }, [])).toEqual({ x: 390, y: 268 });
  });

  it("places each of seven clicks beside the earlier ones, none overlapping, all near the centre", () => {
    const placed: Box[] = [box({ x: 390, y: 268 })];
    for (let click = 0; click < 7; click += 1) {
      const next = box(freePosition({ x: 500, y: 300 }, placed));
      for (const earlier of placed) expect(overlap(next, earlier)).toBe(false);
      expect(Math.hypot(next.x - 390, next.y - 268)).toBeLessThan(800);
      placed.push(next);
    }
  });
});
