// Shared by the e2e tests of mark-open, request-fulfillment and cancel-request: a hand-made store
// with a second fulfillment service, a sandbox with its own state directory, and reading --json.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { FulfillmentOrderRecord, OrderRecord, RunningSandbox, ServiceBehaviour, StoreData } from '@bulkfill/sandbox';
import type { RunResult } from './bin.js';
import { foGid, orderGid, sandbox, storeState } from './sandbox.js';
import { ACME, BETA, BETA_LOCATION, fixtureFile, store } from './store-builder.js';

/** A store whose two fulfillment services (acme-3pl, beta-fulfil) answer nothing on their own. */
export function twoServiceStore(orders: OrderRecord[], acme: Partial<ServiceBehaviour> = {}): StoreData {
  const data = store(orders);
  data.locations.push({ id: BETA_LOCATION, name: 'Beta Fulfil', isActive: true, serviceHandle: BETA });
  data.services.push({
    id: 2,
    handle: BETA,
    serviceName: 'Beta Fulfil',
    locationId: BETA_LOCATION,
    behaviour: { acceptRate: 0, rejectRate: 0, cancelAcceptRate: 0, cancelRejectRate: 0, responseDelayMs: 1000 },
  });
  Object.assign(data.services.find((s) => s.handle === ACME)!.behaviour, acme);
  return data;
}

export interface Setup {
  sb: RunningSandbox;
  env: Record<string, string>;
}

/** Virtual time runs at wall speed, so nothing a test did not ask for happens during a run. */
export async function setupStore(data: StoreData, timeScale = 1): Promise<Setup> {
  const sb = await sandbox({ fixturePath: fixtureFile(data), timeScale });
  const stateDir = mkdtempSync(join(tmpdir(), 'bulkfill-state-'));
  return { sb, env: { SHOPIFY_STORE: sb.url, SHOPIFY_ACCESS_TOKEN: sb.token, BULKFILL_STATE_DIR: stateDir, CI: 'true' } };
}

export interface ReportOrder {
  id: string;
  name: string;
  outcome: string;
  reason?: string;
  message?: string;
}

export interface Report {
  run: { id: string; command: string; store: string; apiVersion: string; startedAt: string; finishedAt: string; dryRun: boolean };
  summary: { selected: number; done: number; already: number; skipped: number; failed: number; unknown: number };
  orders: ReportOrder[];
}

/** The --json document, checked for its documented shape. */
export function jsonReport(result: RunResult): Report {
  const report = JSON.parse(result.stdout) as Report;
  expect(Object.keys(report)).toEqual(['run', 'summary', 'orders']);
  expect(Object.keys(report.run)).toEqual(['id', 'command', 'store', 'apiVersion', 'startedAt', 'finishedAt', 'dryRun']);
  expect(Object.keys(report.summary)).toEqual(['selected', 'done', 'already', 'skipped', 'failed', 'unknown']);
  for (const order of report.orders) {
    expect(order.id).toMatch(/^gid:\/\/shopify\/Order\/\d+$/);
    expect(['planned', 'done', 'already', 'skipped', 'failed', 'unknown']).toContain(order.outcome);
    // A reason code exactly when the outcome needs one.
    if (order.outcome === 'skipped' || order.outcome === 'failed') expect(order.reason).toMatch(/^[a-z-]+$/);
    else expect(order.reason).toBeUndefined();
  }
  return report;
}

/** The report's orders by order id. */
export const byOrder = (report: Report) => new Map(report.orders.map((o) => [o.id, o]));

/** Order GIDs with this outcome, sorted. */
export const withOutcome = (report: Report, outcome: string) =>
  report.orders
    .filter((o) => o.outcome === outcome)
    .map((o) => o.id)
    .sort();

export const gids = (orders: { id: number }[]) => orders.map((o) => orderGid(o.id)).sort();
export const foGids = (fos: FulfillmentOrderRecord[]) => fos.map((fo) => foGid(fo.id)).sort();

/** A fulfillment order as the sandbox holds it now. */
export async function currentFo(sb: RunningSandbox, id: number): Promise<FulfillmentOrderRecord> {
  const state = await storeState(sb);
  for (const order of state.orders) {
    const found = order.fulfillmentOrders.find((fo) => fo.id === id);
    if (found) return found;
  }
  throw new Error(`no fulfillment order ${id}`);
}

/** An order's fulfillment orders as the sandbox holds them now. */
export async function currentFos(sb: RunningSandbox, orderId: number): Promise<FulfillmentOrderRecord[]> {
  return (await storeState(sb)).orders.find((o) => o.id === orderId)!.fulfillmentOrders;
}
