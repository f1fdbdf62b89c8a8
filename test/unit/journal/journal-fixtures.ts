// Shared by the journal tests: a throwaway state directory and a run header.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach } from 'vitest';

import { JOURNAL_FORMAT, type HeaderEntry, type JournalEntry } from '../../../src/journal/format.js';
import { readJournal } from '../../../src/journal/reader.js';

/** A fresh directory per call, removed after the test. */
export function useTempDirs(): () => string {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = mkdtempSync(join(tmpdir(), 'bulkfill-run-'));
    dirs.push(dir);
    return dir;
  };
}

export function header(overrides: Partial<HeaderEntry> = {}): HeaderEntry {
  return {
    t: 'header',
    runId: '20261126-041530-k3f9',
    command: 'cancel',
    options: { reason: 'declined', refund: 'later', restock: false, notify: false },
    store: 'shop.myshopify.com',
    apiVersion: '2026-10',
    user: 'ops',
    host: 'web-1',
    pid: 4242,
    startedAt: '2026-11-26T04:15:30.000Z',
    version: JOURNAL_FORMAT,
    ...overrides,
  };
}

export const AT = '2026-11-26T04:16:00.000Z';

export function order(n: number): string {
  return `gid://shopify/Order/${n}`;
}

export async function entriesOf(path: string): Promise<JournalEntry[]> {
  const entries: JournalEntry[] = [];
  for await (const entry of readJournal(path)) entries.push(entry);
  return entries;
}
