import { describe, expect, it } from 'vitest';

import { CostGate } from '../../../src/run/cost-gate.js';
import { RunError } from '../../../src/errors.js';
import { Requester } from '../../../src/run/requester.js';
import type { CallOutcome } from '../../../src/shopify/call-outcome.js';
import type { Transport } from '../../../src/shopify/transport.js';

const limits = { throttleRetries: 3, transientRetries: 2, baseDelayMs: 10, maxDelayMs: 100 };

function setup(answers: CallOutcome[]) {
  const acquired: number[] = [];
  const gate = new CostGate({ now: () => 0, sleep: async () => {}, maxInFlight: 5 });
  const acquire = gate.acquire.bind(gate);
  gate.acquire = (points, signal) => {
    acquired.push(points);
    return acquire(points, signal);
  };
  let sent = 0;
  const transport: Transport = {
    request: async () => answers[Math.min(sent++, answers.length - 1)]!,
    close: async () => {},
  };
  const requester = new Requester({ transport, gate, sleep: async () => {}, random: () => 0.5, timeoutMs: 1000, limits });
  return { requester, acquired, sent: () => sent };
}

const ok = (requested: number): CallOutcome => ({
  kind: 'ok',
  data: {},
  cost: { requested, actual: requested, throttleStatus: { maximumAvailable: 1000, currentlyAvailable: 1000, restoreRate: 50 } },
});
const internal: CallOutcome = {
  kind: 'graphql-errors',
  errors: [{ message: 'Internal error', code: 'INTERNAL_SERVER_ERROR', path: null }],
  data: null,
  cost: null,
};

describe('Requester', () => {
  const signal = new AbortController().signal;

  it('learns the cost of a document without ids, and uses it next time', async () => {
    const { requester, acquired } = setup([ok(42)]);
    await requester.read('query A', { first: 10 }, 5, signal);
    await requester.read('query A', { first: 10 }, 5, signal);
    expect(acquired).toEqual([5, 42]);
  });

  it('uses the caller’s per-batch cost for requests with ids', async () => {
    const { requester, acquired } = setup([ok(250)]);
    await requester.read('query B', { ids: ['1', '2'] }, 2, signal);
    await requester.read('query B', { ids: ['1'] }, 1, signal);
    expect(acquired).toEqual([2, 1]);
  });

  it('retries a read after INTERNAL_SERVER_ERROR', async () => {
    const { requester, sent } = setup([internal, internal, ok(1)]);
    await expect(requester.read('query C', {}, 1, signal)).resolves.toMatchObject({ kind: 'ok' });
    expect(sent()).toBe(3);
  });

  it('gives up after transientRetries INTERNAL_SERVER_ERRORs', async () => {
    const { requester, sent } = setup([internal]);
    await expect(requester.read('query C', {}, 1, signal)).rejects.toThrow(RunError);
    expect(sent()).toBe(limits.transientRetries + 1);
  });

  describe('readNodes', () => {
    const nodes = (...list: unknown[]): CallOutcome => ({ kind: 'ok', data: { nodes: list }, cost: null });
    const [a, b, c] = ['gid://shopify/Order/1', 'gid://shopify/Order/2', 'gid://shopify/Order/3'];

    it('gives each id the node at its place, null where Shopify gave none or fewer', async () => {
      const { requester } = setup([nodes({ id: a }, null)]);
      expect(await requester.readNodes('query N', [a, b, c], 1, signal)).toEqual([{ id: a }, null, null]);
    });

    it('keeps a node without an id (another type under `... on Order`) in its place', async () => {
      const { requester } = setup([nodes({}, { id: b })]);
      expect(await requester.readNodes('query N', [a, b], 1, signal)).toEqual([{}, { id: b }]);
    });

    it('reads again when a node is out of place (duplicated), and uses the good answer', async () => {
      const { requester, sent } = setup([nodes({ id: a }, { id: a }, { id: c }), nodes({ id: a }, { id: b }, { id: c })]);
      expect(await requester.readNodes('query N', [a, b, c], 1, signal)).toEqual([{ id: a }, { id: b }, { id: c }]);
      expect(sent()).toBe(2);
    });

    it('never hands one order’s node to another id: still out of place after the retries, it counts as missing', async () => {
      const { requester, sent } = setup([nodes({ id: a }, { id: a }, { id: 'gid://shopify/Order/99' })]);
      expect(await requester.readNodes('query N', [a, b, c], 1, signal)).toEqual([{ id: a }, null, null]);
      expect(sent()).toBe(limits.transientRetries + 1);
    });
  });

  it('still throws at once on other GraphQL errors', async () => {
    const { requester, sent } = setup([
      { kind: 'graphql-errors', errors: [{ message: 'Field x does not exist', code: null, path: null }], data: null, cost: null },
    ]);
    await expect(requester.read('query D', {}, 1, signal)).rejects.toThrow('Shopify refused a query: Field x does not exist');
    expect(sent()).toBe(1);
  });
});
