/** The editor's state machine on its own: no React, no browser; validation runs on this thread (there is no Worker here). */
import { afterEach, describe, expect, it } from "vitest";
import { documentFromGraph, graphFromDocument } from "./editor-model";
import { EditorStore } from "./editor-store";

const stores: EditorStore[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.dispose();
});

function storeOf(document: unknown): EditorStore {
  const store = new EditorStore(graphFromDocument(document), 1);
  stores.push(store);
  return store;
}

const twoWrites = {
  name: "two writes",
  nodes: [
    { id: "a", type: "file.write", params: { path: "same.txt", content: "a" }, position: { x: 0, y: 0 } },
    { id: "b", type: "file.write", params: { path: "same.txt", content: "b" }, position: { x: 300, y: 0 } },
  ],
  edges: [],
};

const ids = (store: EditorStore) => store.getState().graph.nodes.map((node) => node.id);

describe("EditorStore", () => {
  it("adds a node selected, with a fresh id, as one undo step; undo and redo walk it back and forth", () => {
    const store = storeOf(twoWrites);
    const id = store.addNode("shell", { x: 10, y: 20 });
    expect(id).toBe("shell-1");
    expect(store.getState().graph.nodes.find((node) => node.id === id)?.selected).toBe(true);
    expect(store.getState().revision).toBe(1);
    store.undo();
    expect(ids(store)).toEqual(["a", "b"]);
    store.redo();
    expect(ids(store)).toEqual(["a", "b", "shell-1"]);
  });

  it("coalesces typing into one field within a second into one undo step", () => {
    const store = storeOf(twoWrites);
    for (const content of ["h", "he", "hel"])
      store.updateSpec("a", (spec) => ({ ...spec, params: { ...spec.params, content } }), "params.content");
    expect(store.getState().past).toHaveLength(1);
    store.undo();
    expect(store.getState().graph.specs.get("a")?.params.content).toBe("a");
  });

  it("renames a node with its edges and refuses an id in use", () => {
    const store = storeOf({ ...twoWrites, edges: [{ from: "a", to: "b" }] });
    expect(store.renameNode("a", "b")).toBe(false);
    expect(store.renameNode("a", "first")).toBe(true);
    const document = documentFromGraph(store.getState().graph) as { edges: { from: string; to: string }[] };
    expect(document.edges.map(({ from, to }) => ({ from, to }))).toEqual([{ from: "first", to: "b" }]);
    expect(store.getState().graph.specs.has("a")).toBe(false);
  });

  it("validates on this thread when asked, and indexes problems by node", () => {
    const store = storeOf({ name: "bad", nodes: [{ id: "x", type: "shell", params: { command: "" } }], edges: [] });
    store.validateNow();
    expect(store.getState().validation.byNode.get("x")?.length).toBeGreaterThan(0);
  });

  it("applies an optimizer fix as one undo step, and records no empty step for a fix already applied", () => {
    const store = storeOf(twoWrites);
    store.applyFix({ kind: "add-edge", from: "a", to: "b" });
    expect(store.getState().graph.edges.map((edge) => edge.id)).toEqual(["a->b"]);
    expect(store.getState().past).toHaveLength(1);
    store.applyFix({ kind: "add-edge", from: "a", to: "b" });
    expect(store.getState().past).toHaveLength(1);
    store.applyFix({ kind: "remove-edge", edgeId: "no-such-edge" });
    expect(store.getState().past).toHaveLength(1);
    store.undo();
    expect(store.getState().graph.edges).toEqual([]);
  });

  it("copies and pastes the selection with the edges between it under fresh ids, offset", () => {
    const store = storeOf({ ...twoWrites, edges: [{ from: "a", to: "b" }] });
    store.selectOnly(["a", "b"]);
    expect(store.copySelection()).toBe(2);
    expect(store.paste()).toBe(2);
    const pasted = store.getState().graph.nodes.filter((node) => node.selected);
    expect(pasted.map((node) => node.id)).toEqual(["a-copy-1", "b-copy-1"]);
    expect(pasted[0]?.position).toEqual({ x: 40, y: 40 });
    expect(store.getState().graph.edges.map((edge) => edge.id)).toContain("a-copy-1->b-copy-1");
  });

  it("deletes the selection with its edges; saving marks the revision as saved", () => {
    const store = storeOf({ ...twoWrites, edges: [{ from: "a", to: "b" }] });
    store.selectOnly(["a"]);
    store.deleteSelection();
    expect(ids(store)).toEqual(["b"]);
    expect(store.getState().graph.edges).toEqual([]);
    const { revision } = store.getState();
    expect(revision).not.toBe(store.getState().savedRevision);
    store.markSaved(2, revision);
    expect(store.getState()).toMatchObject({ baseVersion: 2, savedRevision: revision });
  });

  it("shows the optimizer overlay with waves and batches once the plan validates", () => {
    const store = storeOf({ ...twoWrites, edges: [{ from: "a", to: "b" }] });
    store.validateNow();
    store.setOverlay(true);
    const overlay = store.getState().overlay;
    expect(overlay?.state).toBe("ready");
    if (overlay?.state === "ready") expect(overlay.byNode.get("b")?.wave).toBe(1);
  });
});
