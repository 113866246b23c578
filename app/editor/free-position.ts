/**
 * Where a node added by a click (not a drop) goes: the free spot nearest the
 * middle of the view, so repeated clicks on the palette lay new nodes side by
 * side instead of stacking them on one point and on what is already there.
 */

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The size a new node takes on the canvas (editor.css `.op-node`), with room for its overlay line. */
export const NEW_NODE_SIZE = { width: 220, height: 64 } as const;
const GAP = 24;
const STEP = 40;
const MAX_RINGS = 40;

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width + GAP && b.x < a.x + a.width + GAP && a.y < b.y + b.height + GAP && b.y < a.y + a.height + GAP;
}

/**
 * The top-left corner for a node of `size` centred as near `centre` as the
 * `taken` boxes allow, searched ring by ring on a 40 px grid; past the
 * search radius it gives the centre itself.
 *
 * @example
 * freePosition({ x: 0, y: 0 }, [{ x: -110, y: -32, width: 220, height: 64 }]); // a spot beside the node, not on it
 */
export function freePosition(
  centre: { x: number; y: number },
  taken: readonly Box[],
  size: { width: number; height: number } = NEW_NODE_SIZE,
): { x: number; y: number } {
  const origin = { x: Math.round(centre.x - size.width / 2), y: Math.round(centre.y - size.height / 2) };
  const reach = (MAX_RINGS + 1) * STEP + size.width + size.height;
  const near = taken.filter((box) => Math.abs(box.x - origin.x) < reach && Math.abs(box.y - origin.y) < reach);
  const free = (x: number, y: number) => {
    const candidate = { x, y, ...size };
    return near.every((box) => !overlaps(candidate, box));
  };
  if (free(origin.x, origin.y)) return origin;
  for (let ring = 1; ring <= MAX_RINGS; ring += 1) {
    let best: { x: number; y: number; distance: number } | null = null;
    for (let dx = -ring; dx <= ring; dx += 1) {
      for (let dy = -ring; dy <= ring; dy += 1) {
        if (Math.max(Math.abs(dx), Math.abs(dy)) !== ring) continue;
        const x = origin.x + dx * STEP;
        const y = origin.y + dy * STEP;
        const distance = Math.hypot(dx, dy * 1.5);
        if ((!best || distance < best.distance) && free(x, y)) best = { x, y, distance };
      }
    }
    if (best) return { x: best.x, y: best.y };
  }
  return origin;
}
