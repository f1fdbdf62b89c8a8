// `--csv <file|->`: the stream to read orders from, and the label used in messages ("orders.csv line 14").

import { accessSync, constants, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';

import { UsageError } from '../errors.js';

export interface CsvInputContext {
  stdin: NodeJS.ReadableStream;
  /** Relative paths are resolved against this directory. */
  cwd: string;
  isStdinTTY: boolean;
}

export interface CsvInput {
  stream: NodeJS.ReadableStream;
  /** The path as the user wrote it, or "stdin". */
  label: string;
}

/**
 * Checks the file is readable, so a wrong path is a usage error (exit 2) before any work starts. The
 * file itself is opened on the first read: an input that is never read holds no file descriptor and
 * cannot emit an unhandled error. A later failure to open or read surfaces through the stream (and
 * refsFromCsv turns it into a UsageError).
 */
export function openCsvInput(pathOrDash: string, ctx: CsvInputContext): CsvInput {
  if (pathOrDash === '-') {
    if (ctx.isStdinTTY) {
      throw new UsageError('--csv - reads from stdin, but stdin is a terminal; pipe a file in', 'e.g. bulkfill cancel --csv - < orders.csv');
    }
    return { stream: ctx.stdin, label: 'stdin' };
  }
  if (pathOrDash.trim() === '') throw new UsageError('--csv needs a file path, or - to read stdin');

  const path = resolve(ctx.cwd, pathOrDash);
  try {
    accessSync(path, constants.R_OK);
  } catch (error) {
    throw new UsageError(`--csv ${pathOrDash}: ${describeAccessError(error)}`, undefined, { cause: error });
  }
  if (statSync(path).isDirectory()) throw new UsageError(`--csv ${pathOrDash}: is a directory, not a CSV file`);
  return { stream: Readable.from(chunksOf(path), { objectMode: false }), label: pathOrDash };
}

const CHUNK_BYTES = 64 * 1024;

async function* chunksOf(path: string): AsyncGenerator<Buffer> {
  const handle = await open(path, 'r');
  try {
    for (;;) {
      const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, null);
      if (bytesRead === 0) return;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}

function describeAccessError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOTDIR':
      return 'no such file (a part of the path is not a directory)';
    default:
      return `cannot read the file (${code ?? (error instanceof Error ? error.message : String(error))})`;
  }
}
