// The worker side of the token leak scan: every output a test captures — stdout and
// stderr of each built-bin run (bin.ts) and of each in-process Context (context.ts) — and every token
// a sandbox issued (sandbox.ts) is recorded here, as small JSON lines in a directory shared by all
// vitest workers. After the whole run, leak-scan-global.ts (vitest globalSetup) scans those outputs and
// the state directories the run wrote (journals, failures CSVs, locks) for any token, and fails the
// run when it finds one.
//
// Records are appended synchronously, one file per worker process; a capture that is recorded again
// (its text grew) supersedes its earlier record by id.
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, afterEach, expect, inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where workers record outputs and tokens for the leak scan; empty when the scan is off. */
    bulkfillLeakScanDir: string;
  }
}

export type LeakRecord =
  /** One captured output stream. `kind` tells the scan which designed exemption may apply. */
  | { type: 'output'; id: string; source: string; stream: 'stdout' | 'stderr'; origin: 'bin' | 'context'; command?: string; text: string }
  /** A token issued or handed to bulkfill during the run: it must appear in no output. */
  | { type: 'token'; token: string; source: string }
  /** A directory or file bulkfill wrote to during the run (state dir, --failures path). */
  | { type: 'path'; path: string; source: string };

const dir = safeInject();
const file = dir ? join(dir, `worker-${process.pid}.jsonl`) : '';
let counter = 0;

function safeInject(): string {
  try {
    return inject('bulkfillLeakScanDir') ?? '';
  } catch {
    return '';
  }
}

function append(records: LeakRecord[]): void {
  if (!file || records.length === 0) return;
  appendFileSync(file, records.map((record) => `${JSON.stringify(record)}\n`).join(''));
}

/** Which test is running, for the report: "file > describe > test". */
function currentTest(): string {
  try {
    const state = expect.getState();
    const path = state.testPath ? state.testPath.replace(/^.*?\/test\//, 'test/') : '?';
    return state.currentTestName ? `${path} > ${state.currentTestName}` : path;
  } catch {
    return '?';
  }
}

function inTest(): boolean {
  try {
    return Boolean(expect.getState().currentTestName);
  } catch {
    return false;
  }
}

export function newCaptureId(): string {
  return `${process.pid}-${++counter}`;
}

/** Records one captured output now (a later record with the same id replaces it). */
export function recordOutput(record: Omit<Extract<LeakRecord, { type: 'output' }>, 'type'>): void {
  append([{ type: 'output', ...record }]);
}

/** A token that must never appear in any output (sandbox tokens, tokens handed to the CLI). */
export function recordToken(token: string, source = currentTest()): void {
  if (token) append([{ type: 'token', token, source }]);
}

/** A directory or file bulkfill writes to during this run: scanned after the run. */
export function recordPath(path: string, source = currentTest()): void {
  if (path) append([{ type: 'path', path, source }]);
}

// ——— live captures: flushed after each test and at the end of each file ———

interface Capture {
  id: string;
  source: string;
  origin: 'bin' | 'context';
  command?: string;
  read(): { stdout: string; stderr: string };
  /** Made inside a test (not at collection or in beforeAll): forgotten after that test. */
  inTest: boolean;
  /** Lengths last recorded, to skip unchanged captures. */
  recorded: { stdout: number; stderr: number } | null;
}

const live = new Set<Capture>();

/**
 * Keeps `read` as a live capture: what it returns is recorded after each test (when it changed) and
 * when the test file ends; `done()` records it right away and forgets it.
 */
export function trackCapture(
  origin: 'bin' | 'context',
  read: () => { stdout: string; stderr: string },
  details: { command?: string; label?: string } = {},
): { done(): void } {
  const capture: Capture = {
    id: newCaptureId(),
    source: `${currentTest()}${details.label ? ` [${details.label}]` : ''}`,
    origin,
    ...(details.command !== undefined ? { command: details.command } : {}),
    read,
    inTest: inTest(),
    recorded: null,
  };
  live.add(capture);
  return {
    done() {
      // Also after the test that started it ended (a child may close later): unchanged text is skipped.
      live.delete(capture);
      flush([capture]);
    },
  };
}

function flush(captures: Iterable<Capture>): void {
  const records: LeakRecord[] = [];
  for (const capture of captures) {
    const text = capture.read();
    if (capture.recorded && capture.recorded.stdout === text.stdout.length && capture.recorded.stderr === text.stderr.length) continue;
    capture.recorded = { stdout: text.stdout.length, stderr: text.stderr.length };
    for (const stream of ['stdout', 'stderr'] as const) {
      records.push({
        type: 'output',
        id: `${capture.id}-${stream}`,
        source: capture.source,
        stream,
        origin: capture.origin,
        ...(capture.command !== undefined ? { command: capture.command } : {}),
        text: text[stream],
      });
    }
  }
  append(records);
}

if (file) {
  afterEach(() => {
    flush(live);
    for (const capture of live) if (capture.inTest) live.delete(capture);
  });
  afterAll(() => {
    flush(live);
    live.clear();
  });
}
