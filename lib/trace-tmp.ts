import { appendFileSync } from "node:fs";
export function mark(label: string): void {
  const file = process.env.BB_TRACE;
  if (file) appendFileSync(file, `${process.pid} ${(performance.timeOrigin + performance.now()).toFixed(2)} ${label}\n`);
}
