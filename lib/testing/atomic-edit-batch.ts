/**
 * The plan and files of the atomic-batch crash tests: a shell node, then
 * one atomic batch of multi-edits (two ordered edits per file) over files
 * big enough that the batch takes long enough for a kill to land in its
 * middle, which the tests see in the size of the run's change log.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PlanDocument, type PlanDocumentInput } from "../plan/schema";

const FILLER = "filler line that no edit touches\n".repeat(2_000);

const fileName = (index: number) => `src/file-${String(index).padStart(4, "0")}.txt`;
const originalContent = (index: number) => `alpha-${index}\n${FILLER}omega-${index}\n`;
const editedContent = (index: number) => `ALPHA-${index}\n${FILLER}OMEGA-${index}\n`;

/** `files` files and the plan that edits each of them twice in one atomic batch, after `prep` appends to prep.log. */
export function atomicEditBatch(files: number, extraNodes: PlanDocumentInput["nodes"] = []) {
  const indexes = Array.from({ length: files }, (_, index) => index);
  const document = PlanDocument.parse({
    name: "atomic multi-edit",
    settings: { fileBatchMode: "atomic" },
    nodes: [
      { id: "prep", type: "shell", params: { command: "echo prep >> prep.log" } },
      ...extraNodes,
      ...indexes.flatMap((index) => [
        {
          id: `a${index}`,
          type: "file.edit",
          params: { path: fileName(index), edits: [{ find: `alpha-${index}`, replace: `ALPHA-${index}` }] },
        },
        {
          id: `o${index}`,
          type: "file.edit",
          params: { path: fileName(index), edits: [{ find: `omega-${index}`, replace: `OMEGA-${index}` }] },
        },
      ]),
    ],
    edges: [
      ...extraNodes.map((node) => ({ from: "prep", to: node.id })),
      // Ordered edits of one file: the optimizer merges each pair into one multi-edit.
      ...indexes.flatMap((index) => [
        { from: "prep", to: `a${index}` },
        { from: `a${index}`, to: `o${index}` },
      ]),
    ],
  });
  return {
    document,
    writeOriginals(workspace: string): void {
      mkdirSync(path.join(workspace, "src"), { recursive: true });
      for (const index of indexes) writeFileSync(path.join(workspace, fileName(index)), originalContent(index));
    },
    /** How many files differ from their original bytes. */
    countChanged(workspace: string): number {
      return indexes.filter((index) => readFileSync(path.join(workspace, fileName(index)), "utf8") !== originalContent(index)).length;
    },
    /** The files not edited exactly once (each edit applied, none twice: a second would not find its text). */
    notEditedOnce(workspace: string): string[] {
      return indexes.filter((index) => readFileSync(path.join(workspace, fileName(index)), "utf8") !== editedContent(index)).map(fileName);
    },
    /** Whether a quarter of the files' previous bytes are in the change log: the batch is under way. */
    underWay(changeLogDirectory: string): boolean {
      return changeLogBytes(changeLogDirectory) > (files / 4) * FILLER.length;
    },
  };
}

function changeLogBytes(directory: string): number {
  try {
    const log = readdirSync(directory).find((file) => file.endsWith(".changes"));
    return log ? statSync(path.join(directory, log)).size : 0;
  } catch {
    return 0;
  }
}
