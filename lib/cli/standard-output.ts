/**
 * Standard output written with write(2) directly. `process.stdout` loads
 * Node's stream, net and tty modules on first use (~5 ms of a CLI start
 * that `validate` spends mostly starting); on Linux its writes are
 * synchronous anyway, so output order is the same either way.
 */
import { writeSync } from "node:fs";
import type { Out } from "./exit-codes";

export const standardOutput: Out = {
  write(text: string) {
    let pending = Buffer.from(text, "utf8");
    while (pending.length > 0) {
      try {
        pending = pending.subarray(writeSync(1, pending));
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        // A reader gone (`| head`): the rest has nowhere to go.
        if (code === "EPIPE") return false;
        // A non-blocking pipe that is full: wait for the reader.
        if (code === "EAGAIN") Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
        else throw error;
      }
    }
    return true;
  },
};
