// Issue 5 item 6: text that came from the store (order names, Shopify's messages, service handles) or
// from a journal or CSV never reaches the terminal with its escape sequences or control characters.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';

import { reportError } from '../../../src/cli/report-error.js';
import { reportRun } from '../../../src/commands/action/report-run.js';
import { RunError, UsageError } from '../../../src/errors.js';
import { tallyJournal } from '../../../src/journal/outcomes.js';
import type { RunDetails } from '../../../src/report/run-history.js';
import { formatPlan } from '../../../src/ui/plan-view.js';
import { createProgress } from '../../../src/ui/progress.js';
import { formatResult } from '../../../src/ui/result-view.js';
import { formatRunDetails, formatRunsTable } from '../../../src/ui/runs-view.js';
import { createTestContext } from '../../helpers/context.js';
import { AT, executionTotals, gid, HEADER, planTotals, runReport, writeJournal } from '../report/run-report.js';

/** What a hostile store could put in an order name or a message. */
const PAYLOADS = ['\u001b[2J', '\u001b]0;pwned\u0007', '\u009b31m', 'a\rb', '\u0008'] as const;
const hostile = (base: string) => PAYLOADS.map((payload) => `${base}${payload}`);

/** Our own colour codes (SGR, `ESC [ … m`) are allowed; nothing else below U+0020 but LF, nor any C1. */
function expectSafe(text: string): void {
  const withoutOurColours = text.replace(/\x1b\[[0-9;]*m/gu, '');

  expect(withoutOurColours).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/u);
  for (const payload of PAYLOADS) expect(text).not.toContain(payload);
  expect(text).not.toContain('\u001b[2J');
  expect(text).not.toContain('\u001b]');
}

const plain = new Chalk({ level: 0 });
const coloured = new Chalk({ level: 1 });

describe('result view', () => {
  it('sanitises failure samples, reasons and messages, and keeps its own colours', () => {
    const report = runReport({
      plan: planTotals({ selected: 6, act: 6 }),
      execution: executionTotals({ done: 1, failed: 5 }),
    });
    const details = {
      failures: [
        { reason: 'user-error', count: 5, sample: hostile('#100'), message: 'Shopify says\u001b[2J no\u001b]0;pwned\u0007\r\nsecond line' },
        { reason: 'odd\u001b[5m', count: 1, sample: ['#2000\u0008\u0008'] },
      ],
      failuresCsv: '/tmp/failed\u001b[2J.csv',
      retryCommand: 'bulkfill cancel --csv /tmp/failed.csv',
      command: 'cancel',
      doneVerb: 'cancelled',
    };
    for (const chalk of [plain, coloured]) expectSafe(formatResult(report, details, chalk));
    const text = formatResult(report, details, plain);
    expect(text).toContain('#100, #100, #100, #100a b, #100');
    expect(text).toContain('    Shopify says no second line');
    expect(text).toContain('Failures written to: /tmp/failed.csv');
    // Colour still there when asked for.
    expect(formatResult(report, details, coloured)).toContain('\u001b[31m');
  });
});

describe('plan view', () => {
  it('sanitises fact keys (service handles, methods, currencies) and reasons', () => {
    const totals = planTotals({
      selected: 4,
      act: 3,
      skipped: 1,
      reasons: new Map([['weird\u001b[2J', 1]]),
      facts: { service: { 'acme\u001b]0;pwned\u0007': 2 }, method: { 'ship\u009b31m': 1 }, refund: { 'US\rD': 10 } },
    });
    for (const chalk of [plain, coloured]) expectSafe(formatPlan(totals, { action: 'request-fulfillment', dryRun: false, chalk }));
    const text = formatPlan(totals, { action: 'request-fulfillment', dryRun: false, chalk: plain });
    expect(text).toMatch(/^ {4}acme\s+2$/mu);
    expect(text).toMatch(/^ {4}ship\s+1$/mu);
  });
});

describe('runs view', () => {
  async function hostileRun(): Promise<RunDetails> {
    const journal = await writeJournal([
      {
        ...HEADER,
        store: 'shop\u001b[2J.myshopify.com',
        user: 'eve\u0007',
        host: 'h\u001b]0;pwned\u0007ost',
        options: { reason: 'fraud', staffNote: 'x\u001b[2J', note: 'a\rb', c1: 'x\u009b31m' },
      },
      { t: 'outcome', order: gid(1), name: '#1001\u001b[2J', outcome: 'failed', reason: 'user-error', message: 'm\u001b]0;pwned\u0007', at: AT },
      { t: 'outcome', order: gid(2), name: '#1002\u009b31m', outcome: 'failed', reason: 'bad\u0008reason', at: AT },
      { t: 'resumed', at: '2026-01-15T13:00:00.000Z\u001b[2J', user: 'night\r', host: 'cron\u0007', pid: 7 },
    ]);
    const tally = await tallyJournal(journal);
    const header = tally.header!;
    return {
      runId: HEADER.runId,
      journal,
      command: `cancel\u001b[2J`,
      store: header.store,
      apiVersion: '2026-10\u0007',
      user: header.user,
      host: header.host,
      startedAt: 'yesterday\u001b[2J',
      endedAt: null,
      dryRun: false,
      status: 'resumable',
      counts: tally.counts,
      holder: null,
      options: header.options,
      tally,
    };
  }

  it('sanitises every journal field in the table and in the details', async () => {
    const run = await hostileRun();
    for (const chalk of [plain, coloured]) {
      expectSafe(formatRunsTable([run], { now: Date.parse(AT), relative: false, chalk }));
      expectSafe(formatRunDetails(run, { now: Date.parse(AT), chalk, failuresCsv: '/tmp/x\u001b[2J.csv' }));
    }
    const details = formatRunDetails(run, { now: Date.parse(AT), chalk: plain, failuresCsv: null });
    expect(details).toContain('#1001');
    expect(details).toContain('staffNote="x\\u001b[2J"'); // quoted as JSON: the escape shows, it does not act
    expect(details).toContain('eve@host');
  });
});

describe('progress, --verbose off a terminal', () => {
  it('writes one sanitised line per failed order', () => {
    const ctx = createTestContext({ stderrTTY: false });
    ctx.applyGlobals({ ...ctx.globals, verbose: true });
    const progress = createProgress(ctx, { label: 'Cancelling' });
    progress.onEvent({ type: 'phase', phase: 'executing' });
    PAYLOADS.forEach((payload, i) => {
      progress.onEvent({
        type: 'outcome',
        order: gid(i),
        name: `#10${i}${payload}`,
        outcome: 'failed',
        reason: 'user-error',
        message: `says ${payload} so`,
      });
    });
    progress.stop();
    const text = ctx.stderrText();
    expectSafe(text);
    expect(text).toContain('[bulkfill] #103a b failed (user-error): says a b so');
    expect(text).toContain('[bulkfill] #101 failed (user-error): says so');
  });
});

describe('report-run: input problems', () => {
  it('echoes problems (CSV cells, paths) without their escapes', async () => {
    const journal = await writeJournal([
      HEADER,
      { t: 'outcome', order: gid(1), name: '#1001\u001b]0;pwned\u0007', outcome: 'failed', reason: 'user-error', message: 'no\u001b[2J', at: AT },
    ]);
    const ctx = createTestContext();
    const failuresPath = join(await mkdtemp(join(tmpdir(), 'bulkfill-safety-')), 'failures.csv');
    const code = await reportRun(ctx, {
      action: { name: 'cancel', doneVerb: 'cancelled' },
      report: runReport({ journal, plan: planTotals({ selected: 1, act: 1 }), execution: executionTotals({ failed: 1 }) }),
      problems: PAYLOADS.map((payload, i) => `orders${payload}.csv line ${i + 2}: not an order`),
      json: false,
      failuresPath,
      actionFlags: ['--reason', 'fraud'],
    });
    expect(code).toBe(3);
    const text = ctx.stderrText();
    expectSafe(text);
    expect(text).toContain('ordersa b.csv line 5: not an order');
    expect(text).toMatch(/user-error {2}1 {2}#1001\n {4}no\n/u);
  });

  it('keeps --json output as JSON (escaped by JSON itself, not stripped)', async () => {
    const name = '#1001\u001b[2J';
    const journal = await writeJournal([
      HEADER,
      { t: 'outcome', order: gid(1), name, outcome: 'failed', reason: 'user-error', message: 'm', at: AT },
    ]);
    const ctx = createTestContext();
    const failuresPath = join(await mkdtemp(join(tmpdir(), 'bulkfill-safety-')), 'failures.csv');
    await reportRun(ctx, {
      action: { name: 'cancel', doneVerb: 'cancelled' },
      report: runReport({ journal, plan: planTotals({ selected: 1, act: 1 }), execution: executionTotals({ failed: 1 }) }),
      problems: [],
      json: true,
      failuresPath,
      actionFlags: [],
    });
    expect(ctx.stdoutText()).toContain('"#1001\\u001b[2J"');
    expect(JSON.parse(ctx.stdoutText()).orders[0].name).toBe(name);
  });
});

describe('report-error', () => {
  it('strips escapes from messages that quote Shopify, keeping our own line breaks', () => {
    const ctx = createTestContext();
    const code = reportError(new RunError('Shopify refused a query: bad\u001b]0;pwned\u0007 \u009b31mthing\r\nmore'), ctx);
    expect(code).toBe(1);
    const text = ctx.stderrText();
    expectSafe(text);
    expect(text).toBe('error: Shopify refused a query: bad thing\nmore\n');
  });

  it('sanitises hints too', () => {
    const ctx = createTestContext();
    reportError(new UsageError('--csv orders\u001b[2J.csv: no such file', 'try\u0008 again'), ctx);
    const text = ctx.stderrText();
    expectSafe(text);
    expect(text).toBe('error: --csv orders.csv: no such file\nhint: try again\n');
  });
});
