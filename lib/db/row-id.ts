/** Row ids made outside Prisma: by the SQLite fast paths, and by a CLI that names its run before creating it. */
import { randomBytes } from "node:crypto";

let idCounter = 0;

/**
 * A new row id shaped like Prisma's `cuid()` default (`c`, time, counter,
 * randomness; 25 lowercase base-36 characters), so runs created here look
 * like every other id.
 */
export function newRowId(): string {
  idCounter = (idCounter + 1) % 36 ** 4;
  const random = [...randomBytes(12)].map((byte) => (byte % 36).toString(36)).join("");
  return `c${Date.now().toString(36).padStart(8, "0")}${idCounter.toString(36).padStart(4, "0")}${random}`;
}
