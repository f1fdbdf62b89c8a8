import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';

import { formatDuration } from '../../../src/ui/format.js';
import { formatResult } from '../../../src/ui/result-view.js';
import { executionTotals, planTotals, runReport } from '../report/run-report.js';

const plain = new Chalk({ level: 0 });
const none = { failures: [], failuresCsv: null, retryCommand: null, command: 'cancel', doneVerb: 'cancelled' };

describe('formatResult', () => {
  it('prints one success line with counts and duration', () => {
    const report = runReport({
      plan: planTotals({ selected: 3000, act: 2981, already: 12, skipped: 7 }),
      execution: executionTotals({ done: 2981 }),
    });
    expect(formatResult(report, none, plain)).toMatchInlineSnapshot(`
      "OK 2,981 cancelled, 12 already cancelled, 7 skipped in 41.2s
      "
    `);
    expect(formatResult(report, none, new Chalk({ level: 1 }))).toContain('✔');
  });

  it('groups failures with samples, the CSV path and the retry command', () => {
    const report = runReport({
      finishedAt: '2026-01-15T12:02:05.000Z',
      plan: planTotals({ selected: 3000, act: 2990, already: 2, skipped: 5, failed: 3, reasons: new Map([['not-found', 3]]) }),
      execution: executionTotals({ done: 2980, failed: 8, unknown: 2 }),
    });
    const details = {
      ...none,
      failures: [
        { reason: 'user-error', count: 8, sample: ['#1001', '#1002', '#1003'] },
        { reason: 'not-found', count: 3, sample: ['#2001', '#2002', '#2003'] },
        { reason: 'unconfirmed', count: 2, sample: ['#3001', '#3002'] },
      ],
      failuresCsv: '/var/log/bulkfill/failed.csv',
      retryCommand: 'bulkfill cancel --csv /var/log/bulkfill/failed.csv --reason fraud --refund later --yes',
    };
    expect(formatResult(report, details, plain)).toMatchInlineSnapshot(`
      "2,980 cancelled, 2 already cancelled, 5 skipped in 2m 05s
      FAIL 11 failed, 2 unknown (of 3,000 orders)
        user-error   8  #1001, #1002, #1003, ...
        not-found    3  #2001, #2002, #2003
        unconfirmed  2  #3001, #3002
      Unknown orders were sent but not confirmed; resuming settles them: bulkfill cancel --resume 20260115-120000-abcd
      Failures written to: /var/log/bulkfill/failed.csv
      Retry them with: bulkfill cancel --csv /var/log/bulkfill/failed.csv --reason fraud --refund later --yes
      "
    `);
  });

  it('says how to resume an interrupted run', () => {
    const report = runReport({
      stopped: 'interrupted',
      plan: planTotals({ selected: 3000, act: 3000 }),
      execution: executionTotals({ done: 1200, notStarted: 1800 }),
    });
    expect(formatResult(report, none, plain)).toMatchInlineSnapshot(`
      "Stopped. 1,800 orders not started. Resume with: bulkfill cancel --resume 20260115-120000-abcd
        So far: 1,200 cancelled in 41.2s.
      "
    `);
  });

  it('lists failures, the CSV and the retry command under an interrupted run too', () => {
    const report = runReport({
      stopped: 'interrupted',
      plan: planTotals({ selected: 100, act: 100 }),
      execution: executionTotals({ done: 40, failed: 2, unknown: 1, notStarted: 57 }),
    });
    const details = {
      ...none,
      failures: [
        { reason: 'user-error', count: 2, sample: ['#1', '#2'] },
        { reason: 'unconfirmed', count: 1, sample: ['#3'] },
      ],
      failuresCsv: '/tmp/failed.csv',
      retryCommand: 'bulkfill cancel --csv /tmp/failed.csv --store shop.myshopify.com',
    };
    expect(formatResult(report, details, plain)).toMatchInlineSnapshot(`
      "Stopped. 57 orders not started. Resume with: bulkfill cancel --resume 20260115-120000-abcd
        So far: 40 cancelled in 41.2s.
      FAIL 2 failed, 1 unknown (of 100 orders)
        user-error   2  #1, #2
        unconfirmed  1  #3
      Failures written to: /tmp/failed.csv
      Retry them with: bulkfill cancel --csv /tmp/failed.csv --store shop.myshopify.com
      "
    `);
  });

  it('covers a declined plan, a dry run and an empty selection', () => {
    const plan = planTotals({ selected: 10, act: 8, already: 1, skipped: 1 });
    expect(formatResult(runReport({ plan, stopped: 'declined' }), none, plain)).toBe('Nothing changed: the plan was not confirmed.\n');
    expect(formatResult(runReport({ plan, dryRun: true }), none, plain)).toBe(
      'OK Dry run: nothing changed. 8 to act on, 1 already cancelled, 1 skipped.\n',
    );
    expect(formatResult(runReport(), none, plain)).toBe('OK No orders selected: nothing to do.\n');
  });

  it('is plain ASCII without colour', () => {
    const report = runReport({
      plan: planTotals({ selected: 10, act: 10 }),
      execution: executionTotals({ done: 5, failed: 5 }),
    });
    const text = formatResult(report, { ...none, failures: [{ reason: 'x', count: 5, sample: ['#1', '#2', '#3'] }] }, plain);

    expect(text).toMatch(/^[\x0a\x20-\x7e]*$/);
  });
});

describe('formatDuration', () => {
  it('reads well at every scale', () => {
    expect([0, 999, 41_234, 59_999, 125_000, 3_725_000].map(formatDuration)).toEqual(['0.0s', '0.9s', '41.2s', '59.9s', '2m 05s', '1h 02m']);
  });
});
