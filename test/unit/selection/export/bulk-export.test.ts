// The bulk export's JSONL read defensively: a cut-off or garbled file ends the run with a message, not a crash.
import { describe, expect, it } from 'vitest';

import { exportOrders } from '../../../../src/selection/export/bulk-export.js';
import { RunError } from '../../../../src/errors.js';
import { Requester } from '../../../../src/run/requester.js';
import { CostGate } from '../../../../src/run/cost-gate.js';
import type { CallOutcome } from '../../../../src/shopify/call-outcome.js';
import type { Transport } from '../../../../src/shopify/transport.js';

function deps(lines: string[]) {
  const answers: CallOutcome[] = [
    { kind: 'ok', data: { bulkOperationRunQuery: { bulkOperation: { id: 'gid://shopify/BulkOperation/1' }, userErrors: [] } }, cost: null },
    { kind: 'ok', data: { bulkOperation: { status: 'COMPLETED', url: 'http://127.0.0.1/file.jsonl' } }, cost: null },
  ];
  let sent = 0;
  const transport: Transport = { request: async () => answers[Math.min(sent++, answers.length - 1)]!, close: async () => {} };
  const gate = new CostGate({ now: () => 0, sleep: async () => {}, maxInFlight: 1 });
  const limits = { throttleRetries: 1, transientRetries: 1, baseDelayMs: 1, maxDelayMs: 1 };
  const requester = new Requester({ transport, gate, sleep: async () => {}, random: () => 0.5, timeoutMs: 1000, limits });
  return {
    requester,
    sleep: async () => {},
    signal: new AbortController().signal,
    downloadLines: async function* () {
      yield* lines;
    },
  };
}

const collect = async (lines: string[]) => {
  const found = [];
  for await (const order of exportOrders({ template: 'query { orders(query: "__SEARCH__") { edges { node { id } } } }' }, 'status:open', deps(lines)))
    found.push(order.gid);
  return found;
};

describe('exportOrders', () => {
  it('reads whole lines', async () => {
    expect(await collect(['{"id":"gid://shopify/Order/1","name":"#1"}', '{"id":"gid://shopify/Order/2","name":"#2"}'])).toEqual([
      'gid://shopify/Order/1',
      'gid://shopify/Order/2',
    ]);
  });

  it.each([['{"id":"gid://shopify/Ord'], ['null'], ['[1]'], ['<html>']])('a line %s is a RunError naming the line', async (bad) => {
    const reading = collect(['{"id":"gid://shopify/Order/1","name":"#1"}', bad]);
    await expect(reading).rejects.toThrow(RunError);
    await expect(collect(['{"id":"gid://shopify/Order/1","name":"#1"}', bad])).rejects.toThrow(/unreadable at line 2/);
  });
});
