#!/usr/bin/env node
// The naive baseline of the benchmark (docs/architecture.md#benchmark): what a competent user writes by hand to cancel
// a list of orders. @shopify/admin-api-client with its built-in `retries: 3`, p-limit(10), one lookup
// query per order, then orderCancel; on a THROTTLED answer sleep one second and send it again.
//
// Its naivety, on purpose: no cost pacing (it learns about the bucket only by being THROTTLED), one
// lookup per order (1 point each, from the same budget as the cancels), and it does NOT follow the
// cancel jobs to the end — "done" here means "Shopify accepted the orderCancel and returned a job".
// The benchmark reads the sandbox's counters to see what was really cancelled.
//
//   node bench/dist/bench/naive-cancel.js --store <http://127.0.0.1:PORT> --token <token> --csv <file>
//        [--concurrency 10] [--throttle-sleep-ms 1000] [--api-version 2026-10]
//
// Prints one JSON object on stdout (its own tallies); exit code 0 when it got through the list,
// 1 when some orders failed, 2 on a usage error.
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';

import { createAdminApiClient } from '@shopify/admin-api-client';
import pLimit from 'p-limit';

const { values: args } = parseArgs({
  options: {
    store: { type: 'string' },
    token: { type: 'string' },
    csv: { type: 'string' },
    concurrency: { type: 'string', default: '10' },
    'throttle-sleep-ms': { type: 'string', default: '1000' },
    'max-throttle-retries': { type: 'string', default: '120' },
    'api-version': { type: 'string', default: '2026-10' },
  },
});
if (!args.store || !args.token || !args.csv) {
  process.stderr.write('usage: naive-cancel.js --store <url> --token <token> --csv <file>\n');
  process.exit(2);
}
const concurrency = Number(args.concurrency);
const throttleSleepMs = Number(args['throttle-sleep-ms']);
const maxThrottleRetries = Number(args['max-throttle-retries']);

// The id column of a CSV with a header line (the user's export): good enough for a hand-written script.
const lines = readFileSync(args.csv, 'utf8').split(/\r?\n/).filter(Boolean);
const header = lines.shift()?.split(',') ?? [];
const column = header.indexOf('id');
if (column < 0) {
  process.stderr.write(`${args.csv}: no "id" column\n`);
  process.exit(2);
}
const ids = lines.map((line) => (line.split(',')[column] ?? '').trim());

/** What it prints on stdout (bench/run.ts reads it). */
export interface NaiveTally {
  orders: number;
  cancelled: number;
  alreadyCancelled: number;
  failed: number;
  httpAttempts: number;
  clientRetries: number;
  operations: number;
  throttled: number;
  userErrors: number;
  graphqlErrors: number;
  httpErrors: Record<string, number>;
  networkErrors: number;
  pointsSpent: number;
  failures: { id: string; error: string }[];
  wallMs?: number;
}

const tally: NaiveTally = {
  orders: ids.length,
  cancelled: 0, // orderCancel returned a job and no user errors (the job itself is not followed)
  alreadyCancelled: 0,
  failed: 0,
  httpAttempts: 0, // every HTTP attempt, including the client's own retries (from its logger)
  clientRetries: 0,
  operations: 0, // client.request() calls
  throttled: 0,
  userErrors: 0,
  graphqlErrors: 0, // GraphQL errors other than THROTTLED
  httpErrors: {}, // status -> count, as finally returned by the client
  networkErrors: 0,
  pointsSpent: 0, // sum of actualQueryCost
  failures: [],
};

// docs/shopify-behaviour.md#admin-api-client: the client always builds an https:// URL; send it to the
// sandbox's plain-http origin instead.
const origin = new URL(args.store).origin;
const client = createAdminApiClient({
  storeDomain: origin,
  apiVersion: args['api-version'],
  accessToken: args.token,
  retries: 3,
  customFetchApi: (url, init) => fetch(url.replace(/^https:\/\/[^/]+/, origin), init),
  logger: (log) => {
    if (log.type === 'HTTP-Response') tally.httpAttempts++;
    if (log.type === 'HTTP-Retry') tally.clientRetries++;
  },
});

const LOOKUP = `query Lookup($id: ID!) { order(id: $id) { id cancelledAt displayFinancialStatus } }`;
const CANCEL = `mutation Cancel($orderId: ID!) {
  orderCancel(orderId: $orderId, reason: OTHER, restock: false, refundMethod: { originalPaymentMethodsRefund: true }) {
    job { id }
    orderCancelUserErrors { code message }
  }
}`;

/** One operation; resent after a one-second sleep for as long as Shopify says THROTTLED. */
async function send<T>(query: string, variables: Record<string, unknown>): Promise<T | undefined> {
  for (let attempt = 0; ; attempt++) {
    tally.operations++;
    const res = await client.request<T>(query, { variables });
    const cost = res.extensions?.cost;
    if (typeof cost?.actualQueryCost === 'number') tally.pointsSpent += cost.actualQueryCost;
    const gqlErrors = res.errors?.graphQLErrors ?? [];
    if (gqlErrors.some((e) => e?.extensions?.code === 'THROTTLED')) {
      tally.throttled++;
      if (attempt >= maxThrottleRetries) throw new Error(`still THROTTLED after ${attempt + 1} attempts`);
      await sleep(throttleSleepMs);
      continue;
    }
    if (res.errors) {
      if (gqlErrors.length > 0) tally.graphqlErrors++;
      else if (res.errors.networkStatusCode) {
        const status = String(res.errors.networkStatusCode);
        tally.httpErrors[status] = (tally.httpErrors[status] ?? 0) + 1;
      } else tally.networkErrors++;
      throw new Error(res.errors.message ?? 'request failed');
    }
    return res.data;
  }
}

async function cancelOne(id: string): Promise<void> {
  try {
    const found = await send<{ order: { cancelledAt: string | null } | null }>(LOOKUP, { id });
    if (!found?.order) throw new Error('order not found');
    if (found.order.cancelledAt) {
      tally.alreadyCancelled++;
      return;
    }
    const data = await send<{ orderCancel: { job: { id: string } | null; orderCancelUserErrors: { code: string; message: string }[] } | null }>(
      CANCEL,
      { orderId: id },
    );
    const errors = data?.orderCancel?.orderCancelUserErrors ?? [];
    const [first] = errors;
    if (first) {
      tally.userErrors++;
      throw new Error(`${first.code}: ${first.message}`);
    }
    if (!data?.orderCancel?.job?.id) throw new Error('no job returned');
    tally.cancelled++;
  } catch (error) {
    tally.failed++;
    if (tally.failures.length < 20) tally.failures.push({ id, error: error instanceof Error ? error.message : String(error) });
  }
}

const started = performance.now();
const limit = pLimit(concurrency);
await Promise.all(ids.map((id) => limit(() => cancelOne(id))));
tally.wallMs = Math.round(performance.now() - started);
process.stdout.write(`${JSON.stringify(tally)}\n`);
process.exitCode = tally.failed > 0 ? 1 : 0;
