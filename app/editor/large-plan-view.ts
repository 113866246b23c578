/**
 * How the editor keeps a large plan fast: it opens on the plan's first
 * columns, hands React Flow the nodes in chunks, and gives it only the edges
 * near the view. Small plans pass through untouched.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type RefObject } from "react";
import type { Viewport } from "@xyflow/react";
import type { DependencyFlowEdge, OperationFlowNode } from "./editor-model";

/** Small plans open fitted, but never blown up past life size (a two-node plan at 200 % reads as a mistake). */
export const FIT_VIEW_OPTIONS = { minZoom: 0.5, maxZoom: 1, padding: 0.15 };

/**
 * Above this many nodes the canvas drops React Flow's moving dot background
 * (repainted on every pan frame) for a static one; software-rendered browsers
 * spend most of a pan frame rasterising it.
 */
export const LARGE_PLAN_NODES = 300;

/**
 * Below this zoom a node's text is a few pixels high: a node is drawn as its
 * box alone (editor.css), so a zoomed-out view of thousands of nodes paints
 * boxes, not text.
 */
export const DETAIL_FROM_ZOOM = 0.35;

/** Most nodes fitted into view on open; a larger plan opens on its first columns (where it starts). */
const OPENING_VIEW_NODES = 60;

export type OpeningView = typeof FIT_VIEW_OPTIONS & { nodes?: { id: string }[] };

export function openingView(nodes: readonly OperationFlowNode[]): OpeningView {
  if (nodes.length <= OPENING_VIEW_NODES) return FIT_VIEW_OPTIONS;
  const first = [...nodes].sort((a, b) => a.position.x - b.position.x || a.position.y - b.position.y).slice(0, OPENING_VIEW_NODES);
  return { ...FIT_VIEW_OPTIONS, nodes: first.map((node) => ({ id: node.id })) };
}

interface FlowRect {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/**
 * Level of detail for large plans: React Flow is handed only the edges with
 * an end within a window around the view (half a screen of margin each side),
 * plus selected edges. Edges of a dense plan cross the view by the hundred,
 * and rasterising them was most of a pan frame; the window moves only when
 * the view nears its edge, so panning does not churn the edge list.
 */
export function useEdgesNearView(
  edges: DependencyFlowEdge[],
  nodes: OperationFlowNode[],
  enabled: boolean,
  canvas: RefObject<HTMLElement | null>,
) {
  const [edgeWindow, setEdgeWindow] = useState<FlowRect | null>(null);
  const current = useRef<FlowRect | null>(null);
  // The canvas size, kept by a ResizeObserver: measuring it on every pan frame would force a layout per frame.
  const paneSize = useRef<{ width: number; height: number } | null>(null);
  useEffect(() => {
    const element = canvas.current;
    if (!enabled || !element) return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) paneSize.current = { width: entry.contentRect.width, height: entry.contentRect.height };
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [enabled, canvas]);
  const onMove = useCallback(
    (_event: unknown, viewport: Viewport) => {
      if (!enabled) return;
      paneSize.current ??= canvas.current?.getBoundingClientRect() ?? null;
      const pane = paneSize.current;
      if (!pane) return;
      const view = {
        left: -viewport.x / viewport.zoom,
        top: -viewport.y / viewport.zoom,
        right: (pane.width - viewport.x) / viewport.zoom,
        bottom: (pane.height - viewport.y) / viewport.zoom,
      };
      const width = view.right - view.left;
      const height = view.bottom - view.top;
      const held = current.current;
      const inside =
        held &&
        view.left - width / 8 >= held.left &&
        view.right + width / 8 <= held.right &&
        view.top - height / 8 >= held.top &&
        view.bottom + height / 8 <= held.bottom;
      const tooLoose = held && held.right - held.left > 6 * width;
      if (inside && !tooLoose) return;
      const next = {
        left: view.left - width / 2,
        top: view.top - height / 2,
        right: view.right + width / 2,
        bottom: view.bottom + height / 2,
      };
      current.current = next;
      setEdgeWindow(next);
    },
    [enabled, canvas],
  );
  const shownEdges = useMemo(() => {
    if (!enabled || !edgeWindow) return edges;
    const inWindow = new Set<string>();
    for (const node of nodes) {
      const { x, y } = node.position;
      if (x + 240 >= edgeWindow.left && x <= edgeWindow.right && y + 80 >= edgeWindow.top && y <= edgeWindow.bottom) inWindow.add(node.id);
    }
    return edges.filter((edge) => edge.selected || inWindow.has(edge.source) || inWindow.has(edge.target));
  }, [edges, nodes, enabled, edgeWindow]);
  return { shownEdges, onMove };
}

/** False until `delayMs` after `ready`: the minimap of a large plan draws every node, so it waits until the canvas is loaded. */
export function useDeferredMount(delayMs: number, ready = true): boolean {
  const [mounted, setMounted] = useState(false);
  useEffect(() => {
    if (!ready) return;
    const timer = setTimeout(() => setMounted(true), delayMs);
    return () => clearTimeout(timer);
  }, [delayMs, ready]);
  return mounted;
}

/** Nodes handed to React Flow per step while a large plan loads in the background. */
const LOAD_CHUNK = 250;

/**
 * Opens a large plan with only the nodes around its opening view, then hands
 * React Flow the rest in chunks, nearest first. React Flow renders every node
 * it has not measured yet, whatever the view, so giving it 2,000 at once
 * means drawing and measuring all of them before the first useful frame.
 * Edges wait until both their ends are loaded. Nodes added while loading
 * (drop, paste) are never held back.
 */
export function useProgressiveNodes(nodes: OperationFlowNode[], edges: DependencyFlowEdge[], opening: { nodes?: { id: string }[] } | null) {
  const pending = useRef<Set<string> | null>(null);
  const order = useRef<string[]>([]);
  const [, setLoadedChunks] = useState(0);
  if (pending.current === null) {
    pending.current = new Set();
    if (opening?.nodes) {
      const first = new Set(opening.nodes.map((node) => node.id));
      const seeds = nodes.filter((node) => first.has(node.id));
      const xs = seeds.map((node) => node.position.x);
      const ys = seeds.map((node) => node.position.y);
      const [left, right, top, bottom] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
      // Generous margins: the view fitted around the first nodes may be wider than they are (zoom is clamped).
      const [cx, cy, halfWidth, halfHeight] = [
        (left + right) / 2,
        (top + bottom) / 2,
        (right - left) / 2 + 2000,
        (bottom - top) / 2 + 1200,
      ];
      const distance = (node: OperationFlowNode) => Math.hypot(node.position.x - cx, node.position.y - cy);
      const later = nodes.filter((node) => Math.abs(node.position.x - cx) > halfWidth || Math.abs(node.position.y - cy) > halfHeight);
      later.sort((a, b) => distance(a) - distance(b));
      order.current = later.map((node) => node.id);
      pending.current = new Set(order.current);
    }
  }
  const loading = pending.current.size > 0;
  useEffect(() => {
    if (!loading) return;
    const timer = setTimeout(() => {
      const batch = order.current.splice(0, LOAD_CHUNK);
      for (const id of batch) pending.current?.delete(id);
      setLoadedChunks((count) => count + 1);
    }, 50);
    return () => clearTimeout(timer);
  });
  const held = pending.current;
  const loadedNodes = useMemo(
    () => (held.size ? nodes.filter((node) => !held.has(node.id) || node.selected) : nodes),
    [nodes, held, held.size],
  );
  const loadedEdges = useMemo(
    () => (held.size ? edges.filter((edge) => !held.has(edge.source) && !held.has(edge.target)) : edges),
    [edges, held, held.size],
  );
  return { loadedNodes, loadedEdges, loading };
}
