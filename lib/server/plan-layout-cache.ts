/**
 * Laid-out plan documents by version id. Versions never change, and laying
 * out a 200-node plan costs the server ~150 ms, more than the rest of a run
 * page; pages showing a version lay it out once per process.
 */
import { positionPlanDocument } from "../library/position-plan";

/** Enough for every version someone is looking at; the oldest is dropped first. */
const CACHED_VERSIONS = 200;
const positioned = new Map<string, unknown>();

/** `graph` (the stored document of version `versionId`) with every node positioned. */
export function positionedPlanVersion(versionId: string, graph: unknown): unknown {
  let document = positioned.get(versionId);
  if (document === undefined) {
    document = positionPlanDocument(graph);
    positioned.set(versionId, document);
    if (positioned.size > CACHED_VERSIONS) positioned.delete(positioned.keys().next().value as string);
  }
  return document;
}
