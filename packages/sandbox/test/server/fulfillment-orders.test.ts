import { describe, expect, it } from 'vitest';
import { advanceClock, counters, createToken, foGid, gql, sandbox, storeState } from '../../../../test/helpers/sandbox.js';
import { ACME, ACME_LOCATION, fixtureFile, fo, order, store } from '../../../../test/helpers/store-builder.js';

const FO_FIELDS = 'id status requestStatus supportedActions { action }';
const actions = (node: { supportedActions: { action: string }[] }) => node.supportedActions.map((a) => a.action);

async function setup(fos: ReturnType<typeof fo>[], behaviour?: Partial<ReturnType<typeof store>['services'][number]['behaviour']>) {
  const data = store([order({ fulfillmentOrders: fos })]);
  if (behaviour) Object.assign(data.services[0]!.behaviour, behaviour);
  return sandbox({ fixturePath: fixtureFile(data) });
}

describe('fulfillmentOrderOpen (mark as open)', () => {
  it('opens a merchant-managed FO with reported progress, once', async () => {
    const target = fo({ status: 'IN_PROGRESS', progressReported: true });
    const sb = await setup([target]);
    const doc = `mutation ($id: ID!) { fulfillmentOrderOpen(id: $id) { fulfillmentOrder { ${FO_FIELDS} } userErrors { field message } } }`;
    const first = await gql(sb, doc, { id: foGid(target.id) });
    expect(first.body.data.fulfillmentOrderOpen.userErrors).toEqual([]);
    expect(first.body.data.fulfillmentOrderOpen.fulfillmentOrder).toMatchObject({ status: 'OPEN', requestStatus: 'UNSUBMITTED' });
    expect(actions(first.body.data.fulfillmentOrderOpen.fulfillmentOrder)).not.toContain('MARK_AS_OPEN');
    const second = await gql(sb, doc, { id: foGid(target.id) });
    expect(second.body.data.fulfillmentOrderOpen).toEqual({
      fulfillmentOrder: null,
      userErrors: [{ field: ['id'], message: 'The fulfillment order cannot be marked as open in its current state.' }],
    });
    const seen = await counters(sb);
    expect(seen.calls.fulfillmentOrderOpen?.[foGid(target.id)]).toBe(2);
    expect(seen.applied.fulfillmentOrderOpen?.[foGid(target.id)]).toBe(1);
  });

  it('opens a SCHEDULED FO, and refuses an accepted FO at a service and a missing FO', async () => {
    const scheduled = fo({ status: 'SCHEDULED', fulfillAt: '2027-01-01T00:00:00.000Z' });
    const atService = fo({ locationId: ACME_LOCATION, status: 'IN_PROGRESS', requestStatus: 'ACCEPTED' });
    const sb = await setup([scheduled, atService]);
    const doc = `mutation ($id: ID!) { fulfillmentOrderOpen(id: $id) { fulfillmentOrder { status } userErrors { field message } } }`;
    expect((await gql(sb, doc, { id: foGid(scheduled.id) })).body.data.fulfillmentOrderOpen.fulfillmentOrder.status).toBe('OPEN');
    expect((await gql(sb, doc, { id: foGid(atService.id) })).body.data.fulfillmentOrderOpen.userErrors).toHaveLength(1);
    expect((await gql(sb, doc, { id: foGid(1) })).body.data.fulfillmentOrderOpen.userErrors[0].message).toBe('Fulfillment order does not exist.');
  });
});

describe('fulfillmentOrderReportProgress', () => {
  it('puts a merchant FO in progress (so mark-open applies), with coded errors', async () => {
    const open = fo();
    const closed = fo({ status: 'CLOSED', closedReason: 'fulfilled' });
    const sb = await setup([open, closed]);
    const doc = `mutation ($id: ID!) { fulfillmentOrderReportProgress(id: $id, progressReport: { reasonNotes: "picking" }) { fulfillmentOrder { ${FO_FIELDS} } userErrors { code field message } } }`;
    const res = await gql(sb, doc, { id: foGid(open.id) });
    expect(res.body.data.fulfillmentOrderReportProgress.fulfillmentOrder.status).toBe('IN_PROGRESS');
    expect(actions(res.body.data.fulfillmentOrderReportProgress.fulfillmentOrder)).toContain('MARK_AS_OPEN');
    const refused = await gql(sb, doc, { id: foGid(closed.id) });
    expect(refused.body.data.fulfillmentOrderReportProgress.userErrors[0].code).toBe('FULFILLMENT_ORDER_STATUS_INVALID');
  });
});

describe('fulfillment requests', () => {
  const SUBMIT = `mutation ($id: ID!, $items: [FulfillmentOrderLineItemInput!], $notify: Boolean) {
    fulfillmentOrderSubmitFulfillmentRequest(id: $id, message: "please ship", notifyCustomer: $notify, fulfillmentOrderLineItems: $items) {
      originalFulfillmentOrder { id status requestStatus }
      submittedFulfillmentOrder { id status requestStatus supportedActions { action } merchantRequests(first: 5) { nodes { kind message requestOptions } } }
      unsubmittedFulfillmentOrder { id status requestStatus lineItems(first: 5) { nodes { remainingQuantity } } }
      userErrors { field message }
    }
  }`;

  it('submits a whole FO at a service: OPEN/SUBMITTED with only CANCEL_FULFILLMENT_ORDER', async () => {
    const target = fo({ locationId: ACME_LOCATION });
    const sb = await setup([target]);
    const res = await gql(sb, SUBMIT, { id: foGid(target.id), notify: true });
    const payload = res.body.data.fulfillmentOrderSubmitFulfillmentRequest;
    expect(payload.userErrors).toEqual([]);
    expect(payload.submittedFulfillmentOrder).toMatchObject({ id: foGid(target.id), status: 'OPEN', requestStatus: 'SUBMITTED' });
    expect(actions(payload.submittedFulfillmentOrder)).toEqual(['CANCEL_FULFILLMENT_ORDER']);
    expect(payload.submittedFulfillmentOrder.merchantRequests.nodes).toEqual([
      { kind: 'FULFILLMENT_REQUEST', message: 'please ship', requestOptions: { notify_customer: true } },
    ]);
    expect(payload.unsubmittedFulfillmentOrder).toBeNull();
    const again = await gql(sb, SUBMIT, { id: foGid(target.id) });
    expect(again.body.data.fulfillmentOrderSubmitFulfillmentRequest.userErrors).toHaveLength(1);
  });

  it('splits a partial request into a submitted and an unsubmitted FO', async () => {
    const target = fo({ locationId: ACME_LOCATION, lineItems: [{ id: 9001, sku: 'A', title: 'A', quantity: 3, remaining: 3 }] });
    const sb = await setup([target]);
    const res = await gql(sb, SUBMIT, { id: foGid(target.id), items: [{ id: 'gid://shopify/FulfillmentOrderLineItem/9001', quantity: 1 }] });
    const payload = res.body.data.fulfillmentOrderSubmitFulfillmentRequest;
    expect(payload.submittedFulfillmentOrder.id).not.toBe(foGid(target.id));
    expect(payload.submittedFulfillmentOrder.requestStatus).toBe('SUBMITTED');
    expect(payload.unsubmittedFulfillmentOrder).toMatchObject({ id: foGid(target.id), status: 'OPEN', requestStatus: 'UNSUBMITTED' });
    expect(payload.unsubmittedFulfillmentOrder.lineItems.nodes).toEqual([{ remainingQuantity: 2 }]);
    const tooMany = await gql(sb, SUBMIT, { id: foGid(target.id), items: [{ id: 'gid://shopify/FulfillmentOrderLineItem/9001', quantity: 5 }] });
    expect(tooMany.body.data.fulfillmentOrderSubmitFulfillmentRequest.userErrors[0].field).toEqual(['fulfillmentOrderLineItems', '0', 'quantity']);
  });

  it('refuses a merchant-managed FO', async () => {
    const merchant = fo();
    const sb = await setup([merchant]);
    const res = await gql(sb, SUBMIT, { id: foGid(merchant.id) });
    expect(res.body.data.fulfillmentOrderSubmitFulfillmentRequest.userErrors[0].message).toMatch(/cannot be submitted/);
  });

  it('lets the simulated service accept after its delay, then a cancellation request and its acceptance', async () => {
    const target = fo({ locationId: ACME_LOCATION });
    const sb = await setup([target], { acceptRate: 1, cancelAcceptRate: 1, responseDelayMs: 500 });
    await gql(sb, SUBMIT, { id: foGid(target.id) });
    const read = async () => (await gql(sb, `{ fulfillmentOrder(id: "${foGid(target.id)}") { ${FO_FIELDS} } }`)).body.data.fulfillmentOrder;
    expect(await read()).toMatchObject({ requestStatus: 'SUBMITTED' });
    await advanceClock(sb, 500);
    const accepted = await read();
    expect(accepted).toMatchObject({ status: 'IN_PROGRESS', requestStatus: 'ACCEPTED' });
    expect(actions(accepted)).toEqual(['CREATE_FULFILLMENT', 'REQUEST_CANCELLATION']);

    const cancel = await gql(
      sb,
      `mutation ($id: ID!) { fulfillmentOrderSubmitCancellationRequest(id: $id, message: "stop") { fulfillmentOrder { ${FO_FIELDS} } userErrors { message } } }`,
      { id: foGid(target.id) },
    );
    expect(cancel.body.data.fulfillmentOrderSubmitCancellationRequest.fulfillmentOrder).toMatchObject({
      status: 'IN_PROGRESS',
      requestStatus: 'CANCELLATION_REQUESTED',
    });
    expect(actions(cancel.body.data.fulfillmentOrderSubmitCancellationRequest.fulfillmentOrder)).toEqual([
      'CREATE_FULFILLMENT',
      'CANCEL_FULFILLMENT_ORDER',
    ]);
    await advanceClock(sb, 500);
    const done = await read();
    expect(done).toMatchObject({ status: 'CANCELLED', requestStatus: 'CANCELLATION_ACCEPTED' });
    expect(actions(done)).toEqual(['REQUEST_FULFILLMENT', 'CREATE_FULFILLMENT', 'HOLD']);
    const seen = await counters(sb);
    expect(seen.applied.fulfillmentOrderAcceptFulfillmentRequest?.[foGid(target.id)]).toBe(1);
    expect(seen.applied.fulfillmentOrderAcceptCancellationRequest?.[foGid(target.id)]).toBe(1);
  });

  it('a service that rejects leaves OPEN/REJECTED with REQUEST_FULFILLMENT; one that sits leaves SUBMITTED', async () => {
    const rejected = fo({ locationId: ACME_LOCATION });
    const sb = await setup([rejected], { rejectRate: 1, responseDelayMs: 100 });
    await gql(sb, SUBMIT, { id: foGid(rejected.id) });
    await advanceClock(sb, 100);
    const state = (await gql(sb, `{ fulfillmentOrder(id: "${foGid(rejected.id)}") { ${FO_FIELDS} order { displayFulfillmentStatus } } }`)).body.data
      .fulfillmentOrder;
    expect(state).toMatchObject({ status: 'OPEN', requestStatus: 'REJECTED', order: { displayFulfillmentStatus: 'REQUEST_DECLINED' } });
    expect(actions(state)).toContain('REQUEST_FULFILLMENT');

    const sitting = fo({ locationId: ACME_LOCATION });
    const idle = await setup([sitting]);
    await gql(idle, SUBMIT, { id: foGid(sitting.id) });
    await advanceClock(idle, 60_000);
    expect((await storeState(idle)).orders[0]!.fulfillmentOrders[0]!.requestStatus).toBe('SUBMITTED');
  });

  it('accept/reject mutations need the service scope, and follow the state machine', async () => {
    const submitted = fo({ locationId: ACME_LOCATION, requestStatus: 'SUBMITTED' });
    const sb = await setup([submitted]);
    const doc = `mutation ($id: ID!) { fulfillmentOrderRejectFulfillmentRequest(id: $id, reason: OTHER, message: "no") { fulfillmentOrder { ${FO_FIELDS} } userErrors { message } } }`;
    const denied = await gql(sb, doc, { id: foGid(submitted.id) });
    expect(denied.body.errors[0].extensions.code).toBe('ACCESS_DENIED');
    const service = await createToken(sb, ['write_assigned_fulfillment_orders']);
    const res = await gql(sb, doc, { id: foGid(submitted.id) }, { token: service.token });
    expect(res.body.data.fulfillmentOrderRejectFulfillmentRequest.fulfillmentOrder).toMatchObject({ status: 'OPEN', requestStatus: 'REJECTED' });
  });
});

describe('fulfillmentOrderCancel', () => {
  const CANCEL_FO = `mutation ($id: ID!) { fulfillmentOrderCancel(id: $id) {
    fulfillmentOrder { ${FO_FIELDS} } replacementFulfillmentOrder { ${FO_FIELDS} } userErrors { code field message } } }`;

  it('withdraws a SUBMITTED request at once: original CLOSED, replacement OPEN/UNSUBMITTED', async () => {
    const submitted = fo({ locationId: ACME_LOCATION, requestStatus: 'SUBMITTED' });
    const sb = await setup([submitted]);
    const payload = (await gql(sb, CANCEL_FO, { id: foGid(submitted.id) })).body.data.fulfillmentOrderCancel;
    expect(payload.userErrors).toEqual([]);
    expect(payload.fulfillmentOrder).toMatchObject({ status: 'CLOSED', requestStatus: 'CLOSED', supportedActions: [] });
    expect(payload.replacementFulfillmentOrder).toMatchObject({ status: 'OPEN', requestStatus: 'UNSUBMITTED' });
    expect(actions(payload.replacementFulfillmentOrder)).toContain('REQUEST_FULFILLMENT');
    const again = (await gql(sb, CANCEL_FO, { id: foGid(submitted.id) })).body.data.fulfillmentOrderCancel;
    expect(again.userErrors).toHaveLength(1);
    expect((await counters(sb)).applied.fulfillmentOrderCancel?.[foGid(submitted.id)]).toBe(1);
  });

  it('refuses an accepted request (needs a cancellation request) and manually reported progress', async () => {
    const accepted = fo({ locationId: ACME_LOCATION, status: 'IN_PROGRESS', requestStatus: 'ACCEPTED' });
    const progress = fo({ status: 'IN_PROGRESS', progressReported: true });
    const sb = await setup([accepted, progress]);
    expect((await gql(sb, CANCEL_FO, { id: foGid(accepted.id) })).body.data.fulfillmentOrderCancel.userErrors[0].code).toBeNull();
    const manual = (await gql(sb, CANCEL_FO, { id: foGid(progress.id) })).body.data.fulfillmentOrderCancel.userErrors[0];
    expect(manual.code).toBe('FULFILLMENT_ORDER_HAS_MANUALLY_REPORTED_PROGRESS');
  });
});

describe('every state of the service request lifecycle has the documented supportedActions', () => {
  it.each([
    ['OPEN', 'UNSUBMITTED', ['REQUEST_FULFILLMENT', 'CREATE_FULFILLMENT', 'HOLD', 'MOVE']],
    ['OPEN', 'SUBMITTED', ['CANCEL_FULFILLMENT_ORDER']],
    ['IN_PROGRESS', 'ACCEPTED', ['CREATE_FULFILLMENT', 'REQUEST_CANCELLATION']],
    ['OPEN', 'REJECTED', ['REQUEST_FULFILLMENT', 'CREATE_FULFILLMENT', 'HOLD', 'SPLIT']],
    ['IN_PROGRESS', 'CANCELLATION_REQUESTED', ['CREATE_FULFILLMENT', 'CANCEL_FULFILLMENT_ORDER']],
    ['CANCELLED', 'CANCELLATION_ACCEPTED', ['REQUEST_FULFILLMENT', 'CREATE_FULFILLMENT', 'HOLD']],
    ['IN_PROGRESS', 'CANCELLATION_REJECTED', ['CREATE_FULFILLMENT']],
  ] as const)('%s/%s', async (status, requestStatus, expected) => {
    const target = fo({ locationId: ACME_LOCATION, status, requestStatus });
    const sb = await setup([target]);
    const res = await gql(
      sb,
      `{ fulfillmentOrder(id: "${foGid(target.id)}") { supportedActions { action } assignedLocation { location { fulfillmentService { handle } } } } }`,
    );
    expect(actions(res.body.data.fulfillmentOrder)).toEqual(expected);
    expect(res.body.data.fulfillmentOrder.assignedLocation.location.fulfillmentService.handle).toBe(ACME);
  });
});

describe('requests waiting in a loaded store', () => {
  it('are answered by their service after its delay', async () => {
    const waiting = fo({ locationId: ACME_LOCATION, requestStatus: 'SUBMITTED' });
    const sb = await setup([waiting], { acceptRate: 1, responseDelayMs: 2000 });
    await advanceClock(sb, 2000);
    expect((await storeState(sb)).orders[0]!.fulfillmentOrders[0]).toMatchObject({ status: 'IN_PROGRESS', requestStatus: 'ACCEPTED' });
  });
});
