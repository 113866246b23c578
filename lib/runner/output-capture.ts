/**
 * Bounded capture of one output stream: a tail kept in memory, chunks passed
 * on (as events) until a storage cap, then one truncation marker. Memory use
 * does not depend on how much a command prints.
 */
import { StringDecoder } from "node:string_decoder";

/** Summary of a captured stream. */
export interface CapturedOutput {
  /** The last bytes (UTF-8), at most the tail size. */
  tail: string;
  /** Everything the stream produced. */
  bytes: number;
  /** Whether output beyond the storage cap was dropped. */
  truncated: boolean;
}

export class OutputCapture {
  /** Made on the first chunk: most commands print nothing. */
  private decoder: StringDecoder | null = null;
  private tailChunks: Buffer[] = [];
  private tailLength = 0;
  private bytes = 0;
  private stored = 0;
  private truncated = false;

  constructor(
    private readonly tailBytes: number,
    private readonly storeBytes: number,
    /** Receives stored chunks; `truncated` on the last one. */
    private readonly onChunk: (data: string, truncated: boolean) => void,
  ) {}

  push(chunk: Buffer): void {
    this.bytes += chunk.length;
    this.tailChunks.push(chunk);
    this.tailLength += chunk.length;
    while (this.tailChunks.length > 1 && this.tailLength - (this.tailChunks[0] as Buffer).length >= this.tailBytes) {
      this.tailLength -= (this.tailChunks.shift() as Buffer).length;
    }
    if (this.truncated) return;
    const room = this.storeBytes - this.stored;
    this.decoder ??= new StringDecoder("utf8");
    if (chunk.length <= room) {
      this.stored += chunk.length;
      const text = this.decoder.write(chunk);
      if (text) this.onChunk(text, false);
    } else {
      this.truncated = true;
      this.stored = this.storeBytes;
      const text = this.decoder.write(chunk.subarray(0, room)) + this.decoder.end();
      this.onChunk(`${text}\n… output truncated after ${this.storeBytes} bytes\n`, true);
    }
  }

  /** Flushes a partial UTF-8 sequence at the end of the stream. */
  end(): void {
    if (this.truncated || !this.decoder) return;
    const text = this.decoder.end();
    if (text) this.onChunk(text, false);
  }

  summary(): CapturedOutput {
    if (this.bytes === 0) return { tail: "", bytes: 0, truncated: false };
    const all = Buffer.concat(this.tailChunks);
    const tail = all.subarray(Math.max(0, all.length - this.tailBytes)).toString("utf8");
    return { tail, bytes: this.bytes, truncated: this.truncated };
  }
}
