// Builders for RunReport and journals, shared by the report and ui tests.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { ExecutionTotals } from '../../../src/run/executor.js';
import type { PlanTotals } from '../../../src/run/planner.js';
import type { RunReport } from '../../../src/run/runner.js';

export function planTotals(overrides: Partial<PlanTotals> = {}): PlanTotals {
  return { selected: 0, act: 0, already: 0, skipped: 0, failed: 0, reasons: new Map(), facts: {}, limited: false, ...overrides };
}

export function executionTotals(overrides: Partial<ExecutionTotals> = {}): ExecutionTotals {
  return { done: 0, already: 0, skipped: 0, failed: 0, unknown: 0, reasons: new Map(), notStarted: 0, ...overrides };
}

export function runReport(overrides: Partial<RunReport> = {}): RunReport {
  return {
    runId: '20260115-120000-abcd',
    journal: '/nonexistent/journal.jsonl',
    store: 'example.myshopify.com',
    apiVersion: '2026-10',
    startedAt: '2026-01-15T12:00:00.000Z',
    finishedAt: '2026-01-15T12:00:41.234Z',
    dryRun: false,
    plan: planTotals(),
    execution: null,
    stopped: null,
    gate: { waitedMs: 0, throttled: 0, inFlight: 0, available: 2000, maximumAvailable: 2000, restoreRate: 100 },
    ...overrides,
  };
}

export const gid = (n: number) => `gid://shopify/Order/${n}`;

/** Writes journal lines (objects are JSON-encoded, strings written as they are) to a new temp file. */
export async function writeJournal(lines: (Record<string, unknown> | string)[], trailing = '\n'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'bulkfill-report-'));
  const path = join(dir, 'run.jsonl');
  const text = lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n');
  await writeFile(path, text + trailing);
  return path;
}

export const HEADER = {
  t: 'header',
  format: 1,
  runId: '20260115-120000-abcd',
  command: 'cancel',
  options: { reason: 'fraud', dryRun: false, limit: null },
  store: 'example.myshopify.com',
  apiVersion: '2026-10',
  user: 'tester',
  host: 'test-host',
  pid: 4242,
  startedAt: '2026-01-15T12:00:00.000Z',
  version: '0.1.0',
};

export const AT = '2026-01-15T12:00:01.000Z';

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}
