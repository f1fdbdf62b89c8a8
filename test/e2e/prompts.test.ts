// The interactive path of every action, in process, against a real sandbox: questions come only from
// what the flags left open, offer only what the selection holds, and the answers become the run.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { createTestContext } from '../helpers/context.js';
import type { ScriptedAnswer } from '../helpers/prompter.js';
import { counters, foGid, orderGid, sandbox } from '../helpers/sandbox.js';
import { twoServiceStore } from '../helpers/fulfillment-actions.js';
import { ACME, ACME_LOCATION, BETA, BETA_LOCATION, fixtureFile, fo, order, store } from '../helpers/store-builder.js';
import type { StoreData } from '@bulkfill/sandbox';

async function interactive(data: StoreData, argv: string[], answers: ScriptedAnswer[]) {
  const sb = await sandbox({ fixturePath: fixtureFile(data), timeScale: 20 });
  const ctx = createTestContext({
    stdinTTY: true,
    stderrTTY: true,
    realClock: true,
    env: { SHOPIFY_STORE: sb.url, SHOPIFY_ACCESS_TOKEN: sb.token },
    stateDir: mkdtempSync(join(tmpdir(), 'bulkfill-prompts-')),
    answers,
  });
  const code = await main(argv, ctx);
  return { code, ctx, sb, asked: ctx.prompter.asked, seen: await counters(sb) };
}

const unpaid = () => order({ payment: { state: 'pending', authorized: '0.00', captured: '0.00', refunded: '0.00', refundedToStoreCredit: '0.00' } });

describe('interactive runs ask only what the flags left open', () => {
  it('cancel: reason, refund (with the captured total), restock, notify, then the confirmation', async () => {
    const a = order();
    const b = order({ currencyCode: 'EUR' });
    const c = unpaid();
    const run = await interactive(
      store([a, b, c]),
      ['cancel', String(a.id), String(b.id), String(c.id)],
      [
        { question: 'Why are these orders cancelled?', answer: 'fraud' },
        { question: 'Refund the 2 orders with captured payments', answer: 'store-credit' },
        { question: 'Put the items back in stock?', answer: false },
        { question: 'Email the customers', answer: false },
        { question: 'Cancelling cannot be undone.', answer: true },
      ],
    );
    expect(run.code).toBe(0);
    expect(run.asked[4]!.message).toMatch(
      /^Cancel 3 orders, refunding (USD 50\.00 and EUR 50\.00|EUR 50\.00 and USD 50\.00) as store credit\? Cancelling cannot be undone\.$/,
    );
    expect(run.asked[1]!.message).toMatch(/USD 50\.00.*EUR 50\.00|EUR 50\.00.*USD 50\.00/);
    expect(run.asked[0]!.choices).toHaveLength(6);
    for (const o of [a, b, c]) expect(run.seen.applied.orderCancel?.[orderGid(o.id)]).toBe(1);
    // Refunded once each where money was captured (as store credit, as chosen); nobody emailed.
    expect(run.seen.refunds).toEqual({ [orderGid(a.id)]: 1, [orderGid(b.id)]: 1 });
    expect(run.seen.notifications).toEqual({});
  });

  it('cancel: no refund question when nothing selected was paid, and flags given are not asked', async () => {
    const a = unpaid();
    const run = await interactive(
      store([a]),
      ['cancel', String(a.id), '--reason', 'customer', '--restock'],
      [
        { question: 'Email the customers', answer: false },
        { question: 'Cancel 1 order? Cancelling cannot be undone.', answer: true },
      ],
    );
    expect(run.code).toBe(0);
    expect(run.asked.map((q) => q.kind)).toEqual(['confirm', 'confirm']);
    expect(run.seen.applied.orderCancel?.[orderGid(a.id)]).toBe(1);
  });

  it('declining the confirmation changes nothing and exits 0', async () => {
    const a = order();
    const run = await interactive(
      store([a]),
      ['cancel', String(a.id), '--reason', 'fraud', '--refund', 'now', '--restock', '--no-notify'],
      [{ question: 'Cancel 1 order, refunding USD 50.00? Cancelling cannot be undone.', answer: false }],
    );
    expect(run.code).toBe(0);
    expect(run.seen.calls.orderCancel).toBeUndefined();
  });

  it('Ctrl-C at a prompt exits 130 without a stack trace and sends nothing', async () => {
    const a = order();
    const ctrlC = Object.assign(new Error('User force closed the prompt with SIGINT'), { name: 'ExitPromptError' });
    const run = await interactive(store([a]), ['cancel', String(a.id)], [{ question: 'Why are these orders cancelled?', answer: ctrlC }]);
    expect(run.code).toBe(130);
    expect(run.ctx.stderrText()).not.toMatch(/\n\s+at /);
    expect(run.seen.calls.orderCancel).toBeUndefined();
  });

  it('request-fulfillment: offers the services found, with their counts, then message and notify', async () => {
    const atAcme = order({ fulfillmentOrders: [fo({ locationId: ACME_LOCATION })] });
    const atAcme2 = order({ fulfillmentOrders: [fo({ locationId: ACME_LOCATION })] });
    const atOther = order({ fulfillmentOrders: [fo({ locationId: BETA_LOCATION })] });
    const own = order();
    const ids = [atAcme, atAcme2, atOther, own].map((o) => String(o.id));
    const run = await interactive(
      twoServiceStore([atAcme, atAcme2, atOther, own]),
      ['request-fulfillment', ...ids],
      [
        { question: 'Request fulfillment from which services?', answer: [ACME] },
        { question: 'A message for the service', answer: 'rush please' },
        { question: 'Email the customers when the service fulfills', answer: false },
        { question: 'Send fulfillment requests for 2 orders to acme-3pl?', answer: true },
      ],
    );
    expect(run.code).toBe(0);
    expect(run.asked[0]!.choices).toEqual([`${ACME} (2 fulfillment orders)`, `${BETA} (1 fulfillment order)`]);
    const applied = run.seen.applied.fulfillmentOrderSubmitFulfillmentRequest ?? {};
    expect(Object.keys(applied).sort()).toEqual([foGid(atAcme.fulfillmentOrders[0]!.id), foGid(atAcme2.fulfillmentOrders[0]!.id)].sort());
  });

  it('cancel-request: with one service found there is nothing to choose; the message is still asked', async () => {
    const accepted = order({ fulfillmentOrders: [fo({ locationId: ACME_LOCATION, status: 'IN_PROGRESS', requestStatus: 'ACCEPTED' })] });
    const run = await interactive(
      store([accepted]),
      ['cancel-request', String(accepted.id)],
      [
        { question: 'A message for the service', answer: '' },
        { question: 'Stop acme-3pl working on 1 order?', answer: true },
      ],
    );
    expect(run.code).toBe(0);
    expect(run.seen.applied.fulfillmentOrderSubmitCancellationRequest?.[foGid(accepted.fulfillmentOrders[0]!.id)]).toBe(1);
  });

  it('mark-open: offers the delivery methods found among what it would open', async () => {
    const shipping = order({ fulfillmentOrders: [fo({ status: 'IN_PROGRESS', progressReported: true })] });
    const pickup = order({ fulfillmentOrders: [fo({ status: 'IN_PROGRESS', progressReported: true, deliveryMethod: 'PICK_UP' })] });
    const run = await interactive(
      store([shipping, pickup]),
      ['mark-open', String(shipping.id), String(pickup.id)],
      [
        { question: 'Mark open the fulfillment orders of which delivery methods?', answer: ['pick-up'] },
        { question: 'Mark the fulfillment orders of 1 order as open (unfulfilled) again?', answer: true },
      ],
    );
    expect(run.code).toBe(0);
    expect(run.asked[0]!.choices).toEqual(['shipping (1)', 'pick-up (1)']);
    expect(Object.keys(run.seen.applied.fulfillmentOrderOpen ?? {})).toEqual([foGid(pickup.fulfillmentOrders[0]!.id)]);
  });

  it('mark-open with --method asks nothing but the confirmation', async () => {
    const shipping = order({ fulfillmentOrders: [fo({ status: 'IN_PROGRESS', progressReported: true })] });
    const run = await interactive(
      store([shipping]),
      ['mark-open', String(shipping.id), '--method', 'shipping'],
      [{ question: 'as open (unfulfilled) again?', answer: true }],
    );
    expect(run.code).toBe(0);
    expect(run.seen.applied.fulfillmentOrderOpen?.[foGid(shipping.fulfillmentOrders[0]!.id)]).toBe(1);
  });
});

describe('non-interactive runs name every missing flag at once (exit 2, nothing sent)', () => {
  const cases: [string[], RegExp][] = [
    [['cancel', '1'], /Missing --reason, --refund, --restock or --no-restock, --yes\./],
    [['cancel', '--query', 'status:open', '--reason', 'fraud', '--restock'], /Missing --refund, --yes\./],
    [['request-fulfillment', '1'], /Missing --service, --yes\./],
    [['cancel-request', '1', '--dry-run'], /Missing --service\./],
    [['mark-open', '1'], /Missing --yes\./],
  ];
  for (const [argv, message] of cases) {
    it(argv.join(' '), async () => {
      const ctx = createTestContext({ env: { SHOPIFY_STORE: 'http://127.0.0.1:9', SHOPIFY_ACCESS_TOKEN: 'shpat_x' } });
      expect(await main(argv, ctx)).toBe(2);
      expect(ctx.stderrText()).toMatch(message);
      expect(ctx.prompter.asked).toEqual([]);
    });
  }

  it('stdin used for --csv - is never prompted on, even at a terminal', async () => {
    const ctx = createTestContext({
      stdinTTY: false,
      stderrTTY: true,
      stdin: 'id\n1\n',
      env: { SHOPIFY_STORE: 'http://127.0.0.1:9', SHOPIFY_ACCESS_TOKEN: 'shpat_x' },
    });
    expect(await main(['cancel', '--csv', '-'], ctx)).toBe(2);
    expect(ctx.stderrText()).toMatch(/Missing --reason/);
  });
});
