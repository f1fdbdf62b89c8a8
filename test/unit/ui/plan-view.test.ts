import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';

import { cancelLabels } from '../../../src/actions/cancel/labels.js';
import { markOpenLabels } from '../../../src/actions/mark-open/labels.js';
import { formatMoney } from '../../../src/ui/format.js';
import { formatPlan } from '../../../src/ui/plan-view.js';
import { planTotals } from '../report/run-report.js';

const plain = new Chalk({ level: 0 });

describe('formatPlan', () => {
  it('shows a cancel plan with skips, failures by reason, refunds and the limit (no colour)', () => {
    const totals = planTotals({
      selected: 3012,
      act: 2981,
      already: 12,
      skipped: 7,
      failed: 12,
      reasons: new Map([
        ['fulfillment-in-progress', 2],
        ['partially-refunded', 5],
        ['not-found', 12],
      ]),
      facts: { refund: { USD: 1234.5, JPY: 98000 }, 'nothing-to-refund': 40 },
      limited: true,
    });
    expect(formatPlan(totals, { action: 'cancel', labels: cancelLabels, dryRun: true, chalk: plain })).toMatchInlineSnapshot(`
      "Plan: cancel
        Selected                      3,012 orders
        To cancel                     2,981
        Already in target state          12
        Skipped                           7
          partially-refunded              5
          fulfillment-in-progress         2
        Not found / failed               12
          not-found                      12
        Refund now                   98,000 JPY
        Refund now                 1,234.50 USD
        Nothing to refund                40 orders
        stopped at --limit: more orders matched than will be acted on
        (dry run: nothing will change)
      "
    `);
  });

  it('keeps a simple plan short', () => {
    const totals = planTotals({ selected: 1, act: 1 });
    expect(formatPlan(totals, { action: 'mark-open', labels: markOpenLabels, dryRun: false, chalk: plain })).toMatchInlineSnapshot(`
      "Plan: mark-open
        Selected      1 order
        To mark open  1
      "
    `);
  });

  it('puts every reason under failures when nothing was skipped', () => {
    const totals = planTotals({
      selected: 3,
      act: 1,
      failed: 2,
      reasons: new Map([
        ['not-found', 1],
        ['weird', 1],
      ]),
    });
    const text = formatPlan(totals, { action: 'cancel-request', dryRun: false, chalk: plain });
    expect(text).toContain('Not found / failed  2');
    expect(text).not.toContain('Skipped');
  });

  it('aligns the same with colour on (colour only wraps the text)', () => {
    const totals = planTotals({ selected: 10, act: 8, skipped: 2, reasons: new Map([['x', 2]]) });
    const coloured = formatPlan(totals, { action: 'cancel', dryRun: true, chalk: new Chalk({ level: 1 }) });

    expect(coloured.replace(/\x1b\[[0-9;]*m/g, '')).toBe(formatPlan(totals, { action: 'cancel', dryRun: true, chalk: plain }));
    expect(coloured).toContain('\x1b[');
  });
});

describe('formatMoney', () => {
  it('uses the currency decimals', () => {
    expect(formatMoney(1234.5, 'USD')).toBe('1,234.50');
    expect(formatMoney(98000, 'JPY')).toBe('98,000');
    expect(formatMoney(1.5, 'XXZ')).toBe('1.50');
  });
});
