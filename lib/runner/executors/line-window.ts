/**
 * Lines `first` … `last` (1-based, inclusive) of a file fed in chunks, kept
 * up to `cap` bytes, so a read of lines 10–20 of a large log stops reading
 * once line 20 has passed instead of loading the file.
 */
export class LineWindow {
  private line = 1;
  private readonly kept: Buffer[] = [];
  private keptBytes = 0;
  /** Nothing more is wanted: the window's last line has passed, or the cap was reached. */
  done = false;
  /** The window was cut at `cap` bytes. */
  truncated = false;

  constructor(
    private readonly first: number,
    private readonly last: number,
    private readonly cap: number,
  ) {}

  push(chunk: Buffer): void {
    let position = 0;
    while (!this.done && position < chunk.length) {
      const newline = chunk.indexOf(10, position);
      const end = newline === -1 ? chunk.length : newline + 1;
      if (this.line >= this.first) this.keep(chunk.subarray(position, end));
      if (newline === -1) return;
      if (this.line === this.last) this.done = true;
      this.line += 1;
      position = end;
    }
  }

  bytes(): Buffer {
    return Buffer.concat(this.kept, this.keptBytes);
  }

  private keep(piece: Buffer): void {
    const room = this.cap - this.keptBytes;
    const taken = piece.length > room ? piece.subarray(0, room) : piece;
    if (taken.length) this.kept.push(taken);
    this.keptBytes += taken.length;
    if (piece.length > room) {
      this.truncated = true;
      this.done = true;
    }
  }
}

/** Lines in `data`; a last line without a newline counts. */
export function countLines(data: Buffer): number {
  let lines = data.length && data[data.length - 1] !== 10 ? 1 : 0;
  for (let at = data.indexOf(10); at !== -1; at = data.indexOf(10, at + 1)) lines += 1;
  return lines;
}
