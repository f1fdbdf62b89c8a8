// `bulkfill runs` (list, show, failures) through the real program, over journals written with the real
// JournalWriter into a temporary state directory.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';

import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';

import { main } from '../../../src/cli.js';
import { runsCommand } from '../../../src/commands/runs.js';
import type { Context } from '../../../src/context.js';
import { writeFailuresCsv } from '../../../src/report/failures-csv.js';
import { readOutcomes } from '../../../src/journal/outcomes.js';
import type { HeaderEntry, JournalEntry } from '../../../src/journal/format.js';
import { JournalWriter } from '../../../src/journal/writer.js';
import { createTestContext, TEST_EPOCH, type TestContextOptions } from '../../helpers/context.js';
import { header, useTempDirs } from '../journal/journal-fixtures.js';

const tempDir = useTempDirs();

const gid = (n: number) => `gid://shopify/Order/${n}`;
const hoursAgo = (h: number) => new Date(TEST_EPOCH - h * 3_600_000).toISOString();

const planned = (n: number): JournalEntry => ({ t: 'planned', order: gid(n), name: `#${n}`, steps: [{}] });
const outcome = (n: number, result: 'done' | 'already' | 'skipped' | 'failed' | 'unknown', reason?: string): JournalEntry => ({
  t: 'outcome',
  order: gid(n),
  name: `#${n}`,
  outcome: result,
  ...(reason ? { reason, message: `${reason} happened` } : {}),
  at: hoursAgo(1),
});
const planComplete: JournalEntry = { t: 'plan-complete', at: hoursAgo(1), summary: {} };

async function record(stateDir: string, overrides: Partial<HeaderEntry>, entries: JournalEntry[]): Promise<string> {
  const journal = await JournalWriter.create(stateDir, header({ store: 'shop.myshopify.com', user: 'ops', host: 'web-1', ...overrides }));
  for (const entry of entries) journal.append(entry);
  journal.close();
  return journal.path;
}

const FINISHED = '20260115-090000-aaaa';
const INTERRUPTED = '20260115-100000-bbbb';
const CRASHED = '20260115-110000-cccc';
const PLANNING = '20260115-113000-dddd';
const DRY = '20260114-080000-eeee';

/** Five runs, one of each kind; resolves with their journal paths. */
async function history(stateDir: string): Promise<Record<string, string>> {
  return {
    [FINISHED]: await record(stateDir, { runId: FINISHED, startedAt: hoursAgo(3) }, [
      outcome(9, 'failed', 'not-found'),
      planned(1),
      planned(2),
      planned(3),
      planned(4),
      planComplete,
      outcome(1, 'done'),
      outcome(2, 'failed', 'user-error'),
      outcome(3, 'failed', 'user-error'),
      outcome(4, 'unknown', 'unconfirmed'),
      { t: 'finished', at: hoursAgo(2.9), summary: { selected: 5, done: 1, already: 0, skipped: 0, failed: 3, unknown: 1 } },
    ]),
    [INTERRUPTED]: await record(stateDir, { runId: INTERRUPTED, startedAt: hoursAgo(2), command: 'cancel' }, [
      planned(1),
      planned(2),
      planned(3),
      planComplete,
      outcome(1, 'done'),
      { t: 'interrupted', at: hoursAgo(1.9), signal: 'SIGINT' },
      outcome(2, 'already'),
    ]),
    [CRASHED]: await record(stateDir, { runId: CRASHED, startedAt: hoursAgo(1) }, [planned(1), planned(2), planComplete, outcome(1, 'done')]),
    [PLANNING]: await record(stateDir, { runId: PLANNING, startedAt: hoursAgo(0.5) }, [outcome(7, 'skipped', 'partially-refunded')]),
    [DRY]: await record(stateDir, { runId: DRY, startedAt: hoursAgo(28), options: { reason: 'fraud', dryRun: true, limit: null } }, [
      planned(1),
      planComplete,
      { t: 'finished', at: hoursAgo(28), summary: { selected: 1, done: 0, already: 0, skipped: 0, failed: 0, unknown: 0 } },
    ]),
  };
}

async function run(argv: string[], options: TestContextOptions & { ctx?: (ctx: Context) => Context } = {}) {
  const test = createTestContext(options);
  const code = await main(argv, options.ctx ? options.ctx(test) : test, [runsCommand]);
  return { code, stdout: test.stdoutText(), stderr: test.stderrText() };
}

describe('bulkfill runs (list)', () => {
  it('says there are no runs yet on stderr, exit 0, when the state directory is empty or missing', async () => {
    const stateDir = tempDir();
    for (const dir of [stateDir, join(stateDir, 'missing')]) {
      const result = await run(['runs'], { stateDir: dir });
      expect(result).toMatchObject({ code: 0, stdout: '' });
      expect(result.stderr).toMatch(/^No runs yet/);
    }
    expect(await run(['runs', '--json'], { stateDir })).toEqual({ code: 0, stdout: '[]\n', stderr: '' });
  });

  it('lists runs newest first with counts and status, as plain aligned text off a terminal', async () => {
    const stateDir = tempDir();
    await history(stateDir);
    const result = await run(['runs'], { stateDir });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+STARTED\s+COMMAND\s+STORE\s+DONE\s+ALREADY\s+SKIPPED\s+FAILED\s+UNKNOWN\s+STATUS$/);
    expect(lines.slice(1).map((line) => line.split(/\s+/))).toEqual([
      [PLANNING, '2026-01-15T11:30:00Z', 'cancel', 'shop.myshopify.com', '0', '0', '1', '0', '0', 'incomplete'],
      [CRASHED, '2026-01-15T11:00:00Z', 'cancel', 'shop.myshopify.com', '1', '0', '0', '0', '0', 'resumable'],
      [INTERRUPTED, '2026-01-15T10:00:00Z', 'cancel', 'shop.myshopify.com', '1', '1', '0', '0', '0', 'interrupted'],
      [FINISHED, '2026-01-15T09:00:00Z', 'cancel', 'shop.myshopify.com', '1', '0', '0', '3', '1', 'finished'],
      [DRY, '2026-01-14T08:00:00Z', 'cancel', 'shop.myshopify.com', '0', '0', '0', '0', '0', 'dry', 'run'],
    ]);
    expect(result.stdout).not.toContain('\t');
    // Aligned: every column starts at the same offset on every line.
    const statusAt = lines[0]!.indexOf('STATUS');
    for (const line of lines.slice(1)) expect(line.slice(statusAt - 2, statusAt)).toBe('  ');
  });

  it('shows relative times on a terminal, fitting the width', async () => {
    const stateDir = tempDir();
    await history(stateDir);
    const result = await run(['runs', '--limit', '3'], { stateDir, stdoutTTY: true, columns: 200 });
    const rows = result.stdout.trimEnd().split('\n').slice(1);
    expect(rows).toHaveLength(3);
    expect(rows.map((row) => row.split(/\s{2,}/)[1])).toEqual(['30m ago', '1h ago', '2h ago']);

    // Full width is 112 columns here; the store column gives way.
    const narrow = await run(['runs'], { stateDir, stdoutTTY: true, columns: 108 });
    for (const line of stripVTControlCharacters(narrow.stdout).trimEnd().split('\n')) expect(line.length).toBeLessThanOrEqual(108);
    expect(narrow.stdout).toContain('…');
  });

  it('--json prints an array with the summary keys of a run report, and --limit caps it', async () => {
    const stateDir = tempDir();
    const journals = await history(stateDir);
    const result = await run(['runs', 'list', '--json', '--limit', '4'], { stateDir });
    expect(result.code).toBe(0);
    const runs = JSON.parse(result.stdout) as Record<string, unknown>[];
    expect(runs.map((r) => [r.id, r.status])).toEqual([
      [PLANNING, 'incomplete'],
      [CRASHED, 'resumable'],
      [INTERRUPTED, 'interrupted'],
      [FINISHED, 'finished'],
    ]);
    expect(runs[3]).toEqual({
      id: FINISHED,
      command: 'cancel',
      store: 'shop.myshopify.com',
      apiVersion: '2026-10',
      startedAt: hoursAgo(3),
      finishedAt: hoursAgo(2.9),
      dryRun: false,
      status: 'finished',
      user: 'ops',
      host: 'web-1',
      summary: { selected: 5, done: 1, already: 0, skipped: 0, failed: 3, unknown: 1 },
      resumeCommand: `bulkfill cancel --resume ${FINISHED}`, // its unknown order is settled by a resume
      journal: journals[FINISHED],
    });
    expect(runs[2]).toMatchObject({
      finishedAt: hoursAgo(1.9),
      summary: { selected: 3, done: 1, already: 1, skipped: 0, failed: 0, unknown: 0 },
      resumeCommand: `bulkfill cancel --resume ${INTERRUPTED}`,
    });
    expect(runs[1]).toMatchObject({ finishedAt: null, resumeCommand: `bulkfill cancel --resume ${CRASHED}` });
    expect(runs[0]).toMatchObject({ resumeCommand: null, summary: { selected: 1, skipped: 1 } });
  });

  it('shows a run whose lock is held by a live process as running', async () => {
    const stateDir = tempDir();
    await history(stateDir);
    mkdirSync(join(stateDir, 'locks'));
    const lock = (host: string, pid: number) =>
      JSON.stringify({ key: 'shop.myshopify.com:cancel', runId: CRASHED, pid, host, startedAt: hoursAgo(1) });

    // Another host: its process cannot be checked from here, so the lock counts as held.
    writeFileSync(join(stateDir, 'locks', 'shop.myshopify.com_cancel.lock'), lock('other-host', 77));
    let runs = JSON.parse((await run(['runs', '--json'], { stateDir })).stdout) as { id: string; status: string }[];
    expect(runs.find((r) => r.id === CRASHED)?.status).toBe('running');

    // This host: running only while the process is alive.
    writeFileSync(join(stateDir, 'locks', 'shop.myshopify.com_cancel.lock'), lock('test-host', 77));
    runs = JSON.parse((await run(['runs', '--json'], { stateDir })).stdout);
    expect(runs.find((r) => r.id === CRASHED)?.status).toBe('resumable');
    const alive = (ctx: Context): Context =>
      Object.create(ctx, { system: { value: { ...ctx.system, isProcessAlive: (pid: number) => pid === 77 } } });
    runs = JSON.parse((await run(['runs', '--json'], { stateDir, ctx: alive })).stdout);
    expect(runs.find((r) => r.id === CRASHED)?.status).toBe('running');

    const shown = await run(['runs', 'show', CRASHED], { stateDir, ctx: alive });
    expect(shown.stdout).toMatch(/Running\s+pid 77 on test-host/);
    expect(shown.stdout).not.toContain('--resume');
  });

  it('lists what it can read when a journal is damaged or has no header', async () => {
    const stateDir = tempDir();
    const journals = await history(stateDir);
    appendFileSync(journals[CRASHED]!, '{"t":"outcome","order":"gid://shopify/Order/2","na'); // torn by a kill
    writeFileSync(join(stateDir, 'runs', '20260115-115900-ffff.jsonl'), '{"t":"head'); // killed while being created
    const result = await run(['runs', '--json'], { stateDir });
    expect(result.code).toBe(0);
    const runs = JSON.parse(result.stdout) as { id: string; summary: { done: number } }[];
    expect(runs.map((r) => r.id)).toEqual([PLANNING, CRASHED, INTERRUPTED, FINISHED, DRY]);
    expect(runs[1]!.summary.done).toBe(1);
  });
});

describe('bulkfill runs show', () => {
  it('shows the header, counts, failures by reason with samples, the failures CSV and no resume for a finished run', async () => {
    const stateDir = tempDir();
    const journals = await history(stateDir);
    const csv = journals[FINISHED]!.replace(/\.jsonl$/, '.failures.csv');
    writeFileSync(csv, 'id,name,outcome,reason,message\n');
    const result = await run(['runs', 'show', FINISHED], { stateDir });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const text = result.stdout;
    expect(text).toMatch(new RegExp(`^Run ${FINISHED}  cancel  finished\n`));
    expect(text).toMatch(/Store\s+shop\.myshopify\.com\s+\(API 2026-10\)/);
    expect(text).toMatch(/By\s+ops@web-1/);
    expect(text).toMatch(/Started\s+2026-01-15T09:00:00\.000Z\s+\(3h ago\)/);
    expect(text).toMatch(/Finished\s+2026-01-15T09:06:00\.000Z\s+\(took 6m 00s\)/);
    expect(text).toMatch(/Dry run\s+no/);
    expect(text).toMatch(/Options\s+reason=declined refund=later restock=false notify=false/);
    expect(text).toContain('5 orders selected: 1 done, 0 already, 0 skipped, 3 failed, 1 unknown');
    expect(text).toContain(
      ['4 failed or unknown, by reason:', '  user-error   2  #2, #3', '  not-found    1  #9', '  unconfirmed  1  #4'].join('\n'),
    );
    expect(text).toContain(`Failures CSV: ${csv}`);
    expect(text).toContain(`bulkfill runs failures ${FINISHED}`);
    expect(text).toContain(`resuming settles them: bulkfill cancel --resume ${FINISHED}`);
  });

  it('shows how to resume an interrupted run, and `last` is the newest run', async () => {
    const stateDir = tempDir();
    await history(stateDir);
    const interrupted = await run(['runs', 'show', INTERRUPTED], { stateDir });
    expect(interrupted.stdout).toMatch(/interrupted\n/);
    expect(interrupted.stdout).toMatch(/Interrupted\s+2026-01-15T10:06:00\.000Z/);
    expect(interrupted.stdout).toContain('3 orders selected: 1 done, 1 already, 0 skipped, 0 failed, 0 unknown, 1 not started');
    expect(interrupted.stdout).toContain(`Not finished. Resume with: bulkfill cancel --resume ${INTERRUPTED}`);
    expect(interrupted.stdout).not.toContain('Failures CSV');

    const last = await run(['runs', 'show', 'last'], { stateDir });
    expect(last.stdout).toMatch(new RegExp(`^Run ${PLANNING}  cancel  incomplete`));
    expect(last.stdout).toContain('Stopped while planning; nothing was changed.');
    expect(last.stdout).not.toContain('cancel --resume');
  });

  it('lists resumes and takes the ending of the last one', async () => {
    const stateDir = tempDir();
    const runId = '20260115-070000-gggg';
    await record(stateDir, { runId, startedAt: hoursAgo(5) }, [
      planned(1),
      planned(2),
      planComplete,
      outcome(1, 'done'),
      { t: 'interrupted', at: hoursAgo(4.9), signal: 'SIGTERM' },
      { t: 'resumed', at: hoursAgo(4), user: 'night', host: 'cron-1', pid: 9 },
      outcome(2, 'done'),
    ]);
    const result = await run(['runs', 'show', runId], { stateDir });
    expect(result.stdout).toMatch(/Resumed\s+2026-01-15T08:00:00\.000Z\s+\(4h ago\) by night@cron-1/);
    expect(result.stdout).toMatch(/Ended\s+no end recorded/);
    expect(result.stdout).toContain(`Resume with: bulkfill cancel --resume ${runId}`);
  });

  it('warns about damaged lines instead of failing, and ignores a torn last line', async () => {
    const stateDir = tempDir();
    const journals = await history(stateDir);
    appendFileSync(journals[CRASHED]!, 'garbage\n');
    appendFileSync(journals[CRASHED]!, `${JSON.stringify(outcome(2, 'failed', 'user-error'))}\n`);
    appendFileSync(journals[CRASHED]!, '{"t":"outcome","or');
    const result = await run(['runs', 'show', CRASHED], { stateDir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('2 orders selected: 1 done, 0 already, 0 skipped, 1 failed, 0 unknown');
    expect(result.stdout).toMatch(/unreadable journal lines skipped \(line 6\)/);
  });

  it('--json prints one document shaped like the run report, with the run’s status and options', async () => {
    const stateDir = tempDir();
    const journals = await history(stateDir);
    const result = await run(['runs', 'show', INTERRUPTED, '--json'], { stateDir });
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout) as { run: Record<string, unknown>; summary: Record<string, number>; orders: Record<string, unknown>[] };
    expect(Object.keys(doc)).toEqual(['run', 'summary', 'orders']);
    expect(Object.keys(doc.run).slice(0, 7)).toEqual(['id', 'command', 'store', 'apiVersion', 'startedAt', 'finishedAt', 'dryRun']);
    expect(doc.run).toMatchObject({
      id: INTERRUPTED,
      command: 'cancel',
      finishedAt: hoursAgo(1.9),
      dryRun: false,
      status: 'interrupted',
      user: 'ops',
      host: 'web-1',
      options: header().options,
      journal: journals[INTERRUPTED],
      failuresCsv: null,
      resumeCommand: `bulkfill cancel --resume ${INTERRUPTED}`,
    });
    expect(doc.summary).toEqual({ selected: 3, done: 1, already: 1, skipped: 0, failed: 0, unknown: 0 });
    expect(doc.orders).toEqual([
      { id: gid(1), name: '#1', outcome: 'done' },
      { id: gid(2), name: '#2', outcome: 'already' },
      { id: gid(3), name: '#3', outcome: 'not-started' },
    ]);

    const dry = JSON.parse((await run(['runs', 'show', DRY, '--json'], { stateDir })).stdout);
    expect(dry.run).toMatchObject({ dryRun: true, status: 'finished', resumeCommand: null });
    expect(dry.orders).toEqual([{ id: gid(1), name: '#1', outcome: 'planned' }]);
  });

  it('shows the options chosen during planning when the plan records them', async () => {
    const stateDir = tempDir();
    const runId = '20260115-060000-hhhh';
    await record(stateDir, { runId, options: { dryRun: false, limit: null } }, [
      planned(1),
      { ...planComplete, options: { service: ['acme-3pl'], notify: false, dryRun: false, limit: null } } as JournalEntry,
    ]);
    const result = await run(['runs', 'show', runId], { stateDir });
    expect(result.stdout).toMatch(/Options\s+service=\["acme-3pl"\] notify=false limit=null/);
  });
});

describe('bulkfill runs failures', () => {
  it('prints the same CSV the run writes, for --csv to take back', async () => {
    const stateDir = tempDir();
    const journals = await history(stateDir);
    const result = await run(['runs', 'failures', FINISHED], { stateDir });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const file = join(tempDir(), 'failures.csv');
    expect(await writeFailuresCsv(file, readOutcomes(journals[FINISHED]!))).toBe(4);
    expect(result.stdout).toBe(await readFile(file, 'utf8'));
    const rows = parse(result.stdout, { columns: true }) as Record<string, string>[];
    expect(rows.map((row) => [row.id, row.outcome, row.reason])).toEqual([
      [gid(9), 'failed', 'not-found'],
      [gid(2), 'failed', 'user-error'],
      [gid(3), 'failed', 'user-error'],
      [gid(4), 'unknown', 'unconfirmed'],
    ]);
  });

  it('prints only the header when nothing failed, exit 0; says so on a terminal', async () => {
    const stateDir = tempDir();
    await history(stateDir);
    const result = await run(['runs', 'failures', INTERRUPTED], { stateDir, stderrTTY: true });
    expect(result).toEqual({ code: 0, stdout: 'id,name,outcome,reason,message\n', stderr: `Run ${INTERRUPTED} has no failed or unknown orders.\n` });
  });
});

describe('bulkfill runs: unknown ids', () => {
  it.each([
    ['show', '20990101-000000-zzzz'],
    ['show', 'nope'],
    ['failures', '20990101-000000-zzzz'],
  ])('runs %s %s exits 2 and says how to see the ids', async (sub, id) => {
    const stateDir = tempDir();
    await history(stateDir);
    const result = await run(['runs', sub, id], { stateDir });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`There is no run "${id}"`);
    expect(result.stderr).toContain('bulkfill runs');
  });

  it('`last` with no runs exits 2', async () => {
    const result = await run(['runs', 'show', 'last'], { stateDir: tempDir() });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/No runs are recorded yet/);
  });

  it('a missing id is a usage error', async () => {
    const result = await run(['runs', 'show'], { stateDir: tempDir() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("missing required argument 'id'");
  });
});

describe('bulkfill runs --help', () => {
  it('lists the subcommands with examples', async () => {
    const result = await run(['runs', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/list \[options\][\s\S]*show \[options\] <id>[\s\S]*failures <id>/);
    expect(result.stdout).toContain('$ bulkfill runs failures last | bulkfill cancel --csv -');
  });
});
