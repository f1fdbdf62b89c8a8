import { describe, expect, it } from 'vitest';
import { advanceClock, counters, gql, orderGid, sandbox, storeState } from '../../../../test/helpers/sandbox.js';
import { ACME_LOCATION, fixtureFile, fo, order, paid, store } from '../../../../test/helpers/store-builder.js';

const CANCEL = `mutation Cancel($id: ID!, $refundMethod: OrderCancelRefundMethodInput, $restock: Boolean!, $notify: Boolean) {
  orderCancel(orderId: $id, reason: CUSTOMER, restock: $restock, notifyCustomer: $notify, refundMethod: $refundMethod, staffNote: "bulk") {
    job { id done }
    jobResult { id done status errors { code field message } }
    orderCancelUserErrors { code field message }
  }
}`;
const ORDER = `query ($id: ID!) { order(id: $id) { cancelledAt cancelReason closed displayFinancialStatus displayFulfillmentStatus
  totalRefundedSet { shopMoney { amount } } fulfillmentOrders(first: 5) { nodes { status requestStatus supportedActions { action } } } } }`;

async function cancelled(sb: { url: string; token: string }, id: number) {
  return (await gql(sb, ORDER, { id: orderGid(id) })).body.data.order;
}

describe('orderCancel', () => {
  it('returns a job, finishes it after the delay, and refunds to the original payment method', async () => {
    const paidOrder = order();
    const sb = await sandbox({ fixturePath: fixtureFile(store([paidOrder])) });
    const res = await gql(sb, CANCEL, {
      id: orderGid(paidOrder.id),
      restock: true,
      notify: true,
      refundMethod: { originalPaymentMethodsRefund: true },
    });
    const payload = res.body.data.orderCancel;
    expect(payload.orderCancelUserErrors).toEqual([]);
    expect(payload.job).toMatchObject({ done: false });
    expect(payload.jobResult).toMatchObject({ done: false, status: 'STARTED', errors: [] });
    expect((await cancelled(sb, paidOrder.id)).cancelledAt).toBeNull();

    await advanceClock(sb, 1000);
    const job = await gql(sb, 'query ($id: ID!) { job(id: $id) { done query { shop { name } } } }', { id: payload.job.id });
    expect(job.body.data.job).toEqual({ done: true, query: { shop: { name: 'test shop' } } });
    const result = await gql(sb, 'query ($id: ID!) { node(id: $id) { ... on OrderCancelJobResult { done status errors { code } } } }', {
      id: payload.jobResult.id,
    });
    expect(result.body.data.node).toEqual({ done: true, status: 'SUCCEEDED', errors: [] });

    const after = await cancelled(sb, paidOrder.id);
    expect(after).toMatchObject({
      cancelReason: 'CUSTOMER',
      closed: true,
      displayFinancialStatus: 'REFUNDED',
      totalRefundedSet: { shopMoney: { amount: '50.00' } },
    });
    expect(after.cancelledAt).not.toBeNull();
    expect(after.fulfillmentOrders.nodes[0]).toMatchObject({ status: 'CLOSED', supportedActions: [] });
    const state = await storeState(sb);
    expect(state.orders[0]).toMatchObject({ restockedQuantity: 2, staffNote: 'bulk' });
    const seen = await counters(sb);
    expect(seen.applied.orderCancel).toEqual({ [orderGid(paidOrder.id)]: 1 });
    expect(seen.refunds).toEqual({ [orderGid(paidOrder.id)]: 1 });
    expect(seen.notifications).toEqual({ [orderGid(paidOrder.id)]: 1 });
  });

  it('keeps the money when no refund method is given ("refund later") and sends no email by default', async () => {
    const o = order();
    const sb = await sandbox({ fixturePath: fixtureFile(store([o])) });
    await gql(sb, CANCEL, { id: orderGid(o.id), restock: false });
    await advanceClock(sb, 1000);
    expect(await cancelled(sb, o.id)).toMatchObject({ displayFinancialStatus: 'PAID', totalRefundedSet: { shopMoney: { amount: '0.00' } } });
    const seen = await counters(sb);
    expect(seen.refunds).toEqual({});
    expect(seen.notifications).toEqual({});
    expect((await storeState(sb)).orders[0]!.restockedQuantity).toBe(0);
  });

  it('refunds to store credit, and refuses store credit without a customer', async () => {
    const withCustomer = order();
    const anonymous = order({ customerId: null });
    const sb = await sandbox({ fixturePath: fixtureFile(store([withCustomer, anonymous])) });
    const ok = await gql(sb, CANCEL, { id: orderGid(withCustomer.id), restock: false, refundMethod: { storeCreditRefund: {} } });
    expect(ok.body.data.orderCancel.orderCancelUserErrors).toEqual([]);
    const refused = await gql(sb, CANCEL, { id: orderGid(anonymous.id), restock: false, refundMethod: { storeCreditRefund: {} } });
    expect(refused.body.data.orderCancel).toMatchObject({ job: null, orderCancelUserErrors: [{ code: 'STORE_CREDIT_REFUND_MISSING_CUSTOMER' }] });
    await advanceClock(sb, 1000);
    expect((await storeState(sb)).orders[0]!.payment.refundedToStoreCredit).toBe('50.00');
  });

  it('rejects a refund method with both keys (@oneOf)', async () => {
    const o = order();
    const sb = await sandbox({ fixturePath: fixtureFile(store([o])) });
    const res = await gql(sb, CANCEL, {
      id: orderGid(o.id),
      restock: false,
      refundMethod: { originalPaymentMethodsRefund: true, storeCreditRefund: {} },
    });
    expect(res.body.errors[0].message).toMatch(/exactly one key must be specified/i);
  });

  it('voids an authorization whatever the refund choice', async () => {
    const authorized = order({
      payment: { state: 'authorized', authorized: '50.00', captured: '0.00', refunded: '0.00', refundedToStoreCredit: '0.00' },
    });
    const sb = await sandbox({ fixturePath: fixtureFile(store([authorized])) });
    await gql(sb, CANCEL, { id: orderGid(authorized.id), restock: false });
    await advanceClock(sb, 1000);
    expect((await cancelled(sb, authorized.id)).displayFinancialStatus).toBe('VOIDED');
    expect((await counters(sb)).refunds).toEqual({});
  });

  it('refunds only what is left of a partially refunded order', async () => {
    const partial = order({ payment: { ...paid('80.00'), refunded: '30.00' }, totalPrice: '80.00' });
    const sb = await sandbox({ fixturePath: fixtureFile(store([partial])) });
    await gql(sb, CANCEL, { id: orderGid(partial.id), restock: false, refundMethod: { originalPaymentMethodsRefund: true } });
    await advanceClock(sb, 1000);
    expect(await cancelled(sb, partial.id)).toMatchObject({
      displayFinancialStatus: 'REFUNDED',
      totalRefundedSet: { shopMoney: { amount: '80.00' } },
    });
  });

  it('answers NOT_FOUND and "already cancelled" synchronously', async () => {
    const o = order({ cancelledAt: '2026-11-01T00:00:00.000Z', cancelReason: 'OTHER', closedAt: '2026-11-01T00:00:00.000Z' });
    const sb = await sandbox({ fixturePath: fixtureFile(store([o])) });
    const missing = await gql(sb, CANCEL, { id: orderGid(999_999), restock: false });
    expect(missing.body.data.orderCancel.orderCancelUserErrors).toEqual([{ code: 'NOT_FOUND', field: ['orderId'], message: 'Order does not exist' }]);
    const again = await gql(sb, CANCEL, { id: orderGid(o.id), restock: false });
    expect(again.body.data.orderCancel.orderCancelUserErrors[0]).toMatchObject({ code: 'INVALID', field: ['orderId'] });
  });

  it('cancels once when two cancels race: the second job fails and nothing is refunded twice', async () => {
    const o = order();
    const sb = await sandbox({ fixturePath: fixtureFile(store([o])) });
    const vars = { id: orderGid(o.id), restock: false, refundMethod: { originalPaymentMethodsRefund: true } };
    const first = await gql(sb, CANCEL, vars);
    const second = await gql(sb, CANCEL, vars);
    await advanceClock(sb, 1000);
    const status = async (jobResultId: string) =>
      (await gql(sb, 'query ($id: ID!) { node(id: $id) { ... on OrderCancelJobResult { status errors { code message } } } }', { id: jobResultId }))
        .body.data.node;
    expect((await status(first.body.data.orderCancel.jobResult.id)).status).toBe('SUCCEEDED');
    expect(await status(second.body.data.orderCancel.jobResult.id)).toEqual({
      status: 'FAILED',
      errors: [{ code: 'INVALID', message: 'Order has already been cancelled' }],
    });
    const seen = await counters(sb);
    expect(seen.calls.orderCancel?.[orderGid(o.id)]).toBe(2);
    expect(seen.applied.orderCancel?.[orderGid(o.id)]).toBe(1);
    expect(seen.refunds[orderGid(o.id)]).toBe(1);
  });

  it('fails the job for a return in progress or a fulfillment service holding the order', async () => {
    const returning = order({ returnStatus: 'IN_PROGRESS' });
    const atService = order({ fulfillmentOrders: [fo({ locationId: ACME_LOCATION, status: 'IN_PROGRESS', requestStatus: 'ACCEPTED' })] });
    const sb = await sandbox({ fixturePath: fixtureFile(store([returning, atService])) });
    const jobs = [];
    for (const o of [returning, atService])
      jobs.push((await gql(sb, CANCEL, { id: orderGid(o.id), restock: false })).body.data.orderCancel.jobResult.id);
    await advanceClock(sb, 1000);
    for (const [i, id] of jobs.entries()) {
      const res = await gql(sb, 'query ($id: ID!) { node(id: $id) { ... on OrderCancelJobResult { status errors { code message } } } }', { id });
      expect(res.body.data.node.status).toBe('FAILED');
      expect(res.body.data.node.errors[0].message).toMatch(i === 0 ? /return in progress/ : /outstanding fulfillments/);
    }
    expect((await counters(sb)).applied).toEqual({});
  });

  it('under 2026-07 returns only job, and job polling confirms via cancelledAt', async () => {
    const o = order();
    const sb = await sandbox({ fixturePath: fixtureFile(store([o])) });
    const res = await gql(
      sb,
      'mutation ($id: ID!) { orderCancel(orderId: $id, reason: FRAUD, restock: true) { job { id done } orderCancelUserErrors { code } } }',
      { id: orderGid(o.id) },
      { version: '2026-07' },
    );
    expect(res.body.data.orderCancel.job.done).toBe(false);
    await advanceClock(sb, 1000);
    const polled = await gql(
      sb,
      'query ($id: ID!) { job(id: $id) { done } order(id: "' + orderGid(o.id) + '") { cancelledAt cancelReason } }',
      { id: res.body.data.orderCancel.job.id },
      { version: '2026-07' },
    );
    expect(polled.body.data.job.done).toBe(true);
    expect(polled.body.data.order.cancelReason).toBe('FRAUD');
  });
});
