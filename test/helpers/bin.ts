// Runs the built CLI (bin/bulkfill.js) as a real child process.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { recordPath, recordToken, trackCapture } from './leak-scan.js';

export const BIN = fileURLToPath(new URL('../../bin/bulkfill.js', import.meta.url));

/** Starts `bulkfill <args>`; the environment is minimal and explicit, never the test runner's. */
export function spawnBin(args: string[], env: Record<string, string> = {}): ChildProcessWithoutNullStreams {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: 'pipe',
  });
  recordForLeakScan(child, args, env);
  return child;
}

/**
 * The leak scan (leak-scan.ts) gets everything the test reads from the child's stdout and stderr:
 * 'data' emissions are copied as they happen, so the streams' own flow is left exactly as the test
 * drives it. The token handed over and the state directory are recorded too.
 */
function recordForLeakScan(child: ChildProcessWithoutNullStreams, args: string[], env: Record<string, string>): void {
  if (env.SHOPIFY_ACCESS_TOKEN) recordToken(env.SHOPIFY_ACCESS_TOKEN);
  if (env.BULKFILL_STATE_DIR) recordPath(env.BULKFILL_STATE_DIR);
  args.forEach((arg, n) => {
    if (arg === '--failures' && args[n + 1]) recordPath(args[n + 1]!);
    else if (arg.startsWith('--failures=')) recordPath(arg.slice('--failures='.length));
  });
  const copy = (stream: NodeJS.ReadableStream): (() => string) => {
    const chunks: Buffer[] = [];
    const emit = stream.emit;
    stream.emit = function (this: NodeJS.ReadableStream, event: string | symbol, ...rest: unknown[]) {
      if (event === 'data') chunks.push(Buffer.isBuffer(rest[0]) ? rest[0] : Buffer.from(String(rest[0])));
      return emit.call(this, event, ...rest);
    } as typeof stream.emit;
    return () => Buffer.concat(chunks).toString('utf8');
  };
  const stdout = copy(child.stdout);
  const stderr = copy(child.stderr);
  const command = args.find((arg) => !arg.startsWith('-'));
  const capture = trackCapture('bin', () => ({ stdout: stdout(), stderr: stderr() }), {
    label: `bulkfill ${command ?? ''}`.trim(),
    ...(command !== undefined ? { command } : {}),
  });
  child.once('close', () => capture.done());
}

/** Resolves with the first stdout line, e.g. the sandbox's `{"url","token"}`. */
export function firstLine(child: ChildProcessWithoutNullStreams, timeoutMs = 20_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    let stderr = '';
    const timer = setTimeout(() => reject(new Error(`no output within ${timeoutMs} ms; stderr: ${stderr}`)), timeoutMs);
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const newline = buffer.indexOf('\n');
      if (newline >= 0) {
        clearTimeout(timer);
        resolve(buffer.slice(0, newline));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before printing a line; stderr: ${stderr}`));
    });
  });
}

export function exitCode(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export async function runBin(args: string[], env: Record<string, string> = {}, stdin = ''): Promise<RunResult> {
  const child = spawnBin(args, env);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(stdin);
  const code = await exitCode(child);
  return { code, stdout, stderr };
}
