// The byte-level step in front of csv-parse: refuses input that is not text, turns CRLF and lone CR
// line endings into LF, and can stop the flow of input without an error.
//
// - csv-parse counts a CRLF inside a quoted field as two lines and mangles its `raw` text around CRLF;
//   normalising here keeps the line numbers we report exact. Works on bytes: 0x0D and 0x0A never
//   occur inside a multi-byte UTF-8 sequence.
// - The first SNIFF_BYTES are held back and checked for NUL bytes and a UTF-16 byte order mark, so a
//   binary file gives one "not a text CSV file" and no rows. A NUL byte later passes on the lines
//   before it, then stops.
// - Stopping ends the output (the parser then finishes what it already has) and stops accepting input,
//   which pauses the source until the pipeline is destroyed. Erroring instead would destroy the parser
//   and lose the records it had already parsed but not yet handed out.

import { Transform, type TransformCallback } from 'node:stream';

export class NotTextError extends Error {
  override readonly name = 'NotTextError';

  /**
   * `line`: where a NUL byte was met after the first SNIFF_BYTES; the lines before it were passed on.
   * Undefined when the input was refused before anything was passed on.
   */
  constructor(
    readonly reason: 'nul' | 'utf16',
    readonly line?: number,
  ) {
    super(reason === 'utf16' ? 'not a text CSV file: it is UTF-16 encoded; save it as "CSV UTF-8"' : 'not a text CSV file (it contains NUL bytes)');
  }
}

/** The start of the input is held back until this much is seen, so a binary file yields nothing. */
export const SNIFF_BYTES = 64 * 1024;
const CR = 0x0d;
const LF = 0x0a;

export class TextGuard extends Transform {
  /** Set when the input turned out not to be text; the guard has stopped. */
  notText: NotTextError | undefined;
  /** The start of the input, until SNIFF_BYTES have been seen; then undefined. */
  private sniffed: Buffer[] | undefined = [];
  private sniffedBytes = 0;
  /** Complete lines passed on so far. */
  private lines = 0;
  /** The previous chunk ended with CR: a LF starting this chunk belongs to it. */
  private pendingCR = false;
  private stopped = false;
  private flushed = false;

  /** Ends the output now and accepts no more input (the source is left paused). Idempotent. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (!this.flushed) this.push(null);
  }

  override _transform(chunk: Buffer | string, _encoding: BufferEncoding, callback: TransformCallback): void {
    // Never calling back holds the source (backpressure) until the pipeline is torn down.
    if (this.stopped) return;
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    if (this.sniffed) {
      this.sniffed.push(bytes);
      this.sniffedBytes += bytes.length;
      if (this.sniffedBytes < SNIFF_BYTES) return callback();
      this.releaseSniffed();
    } else {
      this.pass(bytes);
    }
    if (this.notText) this.stop();
    else callback();
  }

  override _flush(callback: TransformCallback): void {
    if (this.sniffed && !this.stopped) this.releaseSniffed();
    this.flushed = true;
    callback();
  }

  private releaseSniffed(): void {
    const bytes = Buffer.concat(this.sniffed ?? []);
    this.sniffed = undefined;
    const [a, b] = [bytes[0], bytes[1]];
    if ((a === 0xff && b === 0xfe) || (a === 0xfe && b === 0xff)) this.notText = new NotTextError('utf16');
    else if (bytes.includes(0)) this.notText = new NotTextError('nul');
    else this.pass(bytes);
  }

  /** Passes on the bytes, or the lines before a NUL byte and then refuses the rest. */
  private pass(bytes: Buffer): void {
    const out = this.normaliseLineEndings(bytes);
    const nul = out.indexOf(0);
    const passed = nul === -1 ? out : out.subarray(0, out.lastIndexOf(LF, nul) + 1);
    for (let at = passed.indexOf(LF); at !== -1; at = passed.indexOf(LF, at + 1)) this.lines++;
    if (passed.length > 0) this.push(passed);
    if (nul !== -1) this.notText = new NotTextError('nul', this.lines + 1);
  }

  private normaliseLineEndings(bytes: Buffer): Buffer {
    let start = 0;
    if (this.pendingCR) {
      this.pendingCR = false;
      if (bytes[0] === LF) start = 1;
    }
    if (bytes.indexOf(CR, start) === -1) return start === 0 ? bytes : bytes.subarray(start);
    const out = Buffer.allocUnsafe(bytes.length - start);
    let length = 0;
    for (let i = start; i < bytes.length; i++) {
      const byte = bytes[i] as number;
      if (byte !== CR) {
        out[length++] = byte;
        continue;
      }
      out[length++] = LF;
      if (i + 1 === bytes.length) this.pendingCR = true;
      else if (bytes[i + 1] === LF) i++;
    }
    return out.subarray(0, length);
  }
}
