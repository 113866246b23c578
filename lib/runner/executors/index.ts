/** The executor of each operation type. */
import type { OperationType, ParamsOf } from "../../plan/schema";
import { deleteFileExecutor } from "./file-delete";
import { editFileExecutor } from "./file-edit";
import { moveFileExecutor } from "./file-move";
import { readFileExecutor } from "./file-read";
import { writeFileExecutor } from "./file-write";
import { searchExecutor } from "./search";
import { shellExecutor } from "./shell";
import type { Executor } from "./types";

type ExecutorTable = { [T in OperationType]: Executor<ParamsOf<T>, unknown> };

/** Operation type → executor. */
export const EXECUTORS: ExecutorTable = {
  "file.write": writeFileExecutor,
  "file.edit": editFileExecutor,
  "file.delete": deleteFileExecutor,
  "file.move": moveFileExecutor,
  "file.read": readFileExecutor,
  search: searchExecutor,
  shell: shellExecutor,
};

export type { Executor, ExecutorContext, ExecutorEvent, BackgroundProcess } from "./types";
