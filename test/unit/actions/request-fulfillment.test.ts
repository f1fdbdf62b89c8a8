import { describe, expect, it } from 'vitest';

import {
  planRequestFulfillment,
  requestFulfillmentAction,
  type RequestFulfillmentFacts,
  type RequestFulfillmentOptions,
  type RequestFulfillmentStep,
} from '../../../src/actions/request-fulfillment/action.js';
import type { ServicesSurvey } from '../../../src/actions/fulfillment-orders.js';
import { ACME, BETA, atService, facts, foNode, merchant, snapshot } from './snapshots.js';

const AT_ACME: RequestFulfillmentOptions = { services: [ACME], message: null, notify: false };

const stepOf = (fo: ReturnType<typeof facts>) => ({
  fo: fo.id,
  service: fo.service,
  requestStatus: fo.requestStatus,
  status: fo.status,
  ...(fo.lastRequestId !== undefined ? { lastRequestId: fo.lastRequestId } : {}),
});

describe('planRequestFulfillment', () => {
  it('acts on an unsubmitted fulfillment order at the chosen service, remembering how it was', () => {
    const fo = atService.unsubmitted(ACME);
    expect(planRequestFulfillment(snapshot([fo]), AT_ACME)).toEqual({
      kind: 'act',
      steps: [{ fo: fo.id, service: ACME, requestStatus: 'UNSUBMITTED', status: 'OPEN' }],
    });
  });

  it('acts again on a request the service rejected; a cancelled fulfillment order is left to the admin', () => {
    const rejected = atService.rejected();
    const cancelled = atService.cancellationAccepted();
    expect(planRequestFulfillment(snapshot([rejected, cancelled]), AT_ACME)).toEqual({ kind: 'act', steps: [stepOf(rejected)] });
    // Shopify would put the request on a new fulfillment order, where a lost answer could not be read back.
    expect(planRequestFulfillment(snapshot([cancelled]), AT_ACME)).toMatchObject({ kind: 'skip', reason: 'cancelled-fulfillment-order' });
  });

  it('acts on every requestable fulfillment order of the order at the chosen services, and only those', () => {
    const acme = atService.unsubmitted(ACME);
    const beta = atService.unsubmitted(BETA);
    const pending = atService.submitted(ACME);
    const own = merchant.open();
    expect(planRequestFulfillment(snapshot([own, acme, pending, beta]), { ...AT_ACME, services: [ACME, BETA] })).toEqual({
      kind: 'act',
      steps: [stepOf(acme), stepOf(beta)],
    });
    expect(planRequestFulfillment(snapshot([own, acme, pending, beta]), { ...AT_ACME, services: [BETA] })).toEqual({
      kind: 'act',
      steps: [stepOf(beta)],
    });
  });

  it('is already done when every chosen fulfillment order has a pending or accepted request', () => {
    for (const fo of [atService.submitted(), atService.accepted(), atService.cancellationRequested(), atService.cancellationRejected()]) {
      expect(planRequestFulfillment(snapshot([fo]), AT_ACME), fo.requestStatus).toEqual({
        kind: 'already',
        message: 'already requested from `acme-3pl`',
      });
    }
    expect(planRequestFulfillment(snapshot([atService.submitted(ACME), atService.accepted(BETA)]), { ...AT_ACME, services: [ACME, BETA] })).toEqual({
      kind: 'already',
      message: 'already requested from `acme-3pl`, `beta-fulfil`',
    });
  });

  it('is already done when the only other chosen fulfillment orders are closed (fulfilled, or replaced by a withdrawal)', () => {
    // After cancel-request withdrew a request and request-fulfillment sent it again, the order holds
    // the closed original beside the submitted replacement: asking again is not needed.
    expect(planRequestFulfillment(snapshot([atService.closed(), atService.submitted()]), AT_ACME)).toEqual({
      kind: 'already',
      message: 'already requested from `acme-3pl`',
    });
    expect(
      planRequestFulfillment(snapshot([atService.accepted(), facts({ service: ACME, status: 'CLOSED', requestStatus: 'ACCEPTED' })]), AT_ACME),
    ).toMatchObject({
      kind: 'already',
    });
  });

  describe('skips', () => {
    it('order-cancelled, too-many-fulfillment-orders and no-fulfillment-orders come first', () => {
      expect(planRequestFulfillment(snapshot([atService.unsubmitted()], { cancelledAt: '2026-11-01T00:00:00.000Z' }), AT_ACME)).toMatchObject({
        reason: 'order-cancelled',
      });
      expect(planRequestFulfillment(snapshot([atService.unsubmitted()], { truncated: true }), AT_ACME)).toMatchObject({
        reason: 'too-many-fulfillment-orders',
      });
      expect(planRequestFulfillment(snapshot([]), AT_ACME)).toMatchObject({ reason: 'no-fulfillment-orders' });
    });

    it('merchant-managed when no service holds any of it', () => {
      expect(planRequestFulfillment(snapshot([merchant.open(), merchant.inProgress()]), AT_ACME)).toEqual({
        kind: 'skip',
        reason: 'merchant-managed',
        message: 'it is fulfilled from your own locations, not by a fulfillment service',
      });
    });

    it('service-not-chosen, naming the chosen services and where it is', () => {
      expect(planRequestFulfillment(snapshot([atService.unsubmitted(BETA), atService.submitted(BETA)]), AT_ACME)).toEqual({
        kind: 'skip',
        reason: 'service-not-chosen',
        message: 'nothing at `acme-3pl`; it is at `beta-fulfil`',
      });
    });

    it('not-eligible when Shopify does not offer REQUEST_FULFILLMENT and no request is pending', () => {
      expect(planRequestFulfillment(snapshot([atService.onHold()]), AT_ACME)).toEqual({
        kind: 'skip',
        reason: 'not-eligible',
        message: 'Shopify does not offer to request fulfillment (on_hold)',
      });
      // Unsubmitted but without REQUEST_FULFILLMENT in supportedActions: eligibility follows Shopify.
      expect(planRequestFulfillment(snapshot([facts({ service: ACME, actions: ['CREATE_FULFILLMENT'] })]), AT_ACME)).toMatchObject({
        reason: 'not-eligible',
      });
      expect(planRequestFulfillment(snapshot([atService.closed(), atService.closed()]), AT_ACME)).toEqual({
        kind: 'skip',
        reason: 'not-eligible',
        message: 'Shopify does not offer to request fulfillment (closed, closed)',
      });
    });

    it('not-eligible (not already) when one chosen fulfillment order is requested and another is stuck on hold', () => {
      expect(planRequestFulfillment(snapshot([atService.submitted(), atService.onHold()]), AT_ACME)).toMatchObject({
        kind: 'skip',
        reason: 'not-eligible',
      });
    });
  });
});

describe('requestFulfillmentAction', () => {
  const step: RequestFulfillmentStep = { fo: 'gid://shopify/FulfillmentOrder/8', service: ACME, requestStatus: 'UNSUBMITTED', status: 'OPEN' };

  it('sends the whole fulfillment order (no line items) with the message and the notify choice', () => {
    const mutation = requestFulfillmentAction.mutation({ services: [ACME], message: 'rush', notify: true });
    expect(mutation.document(step).text).toMatch(
      /fulfillmentOrderSubmitFulfillmentRequest\(id: \$id, message: \$message, notifyCustomer: \$notifyCustomer\)/,
    );
    expect(mutation.document(step).text).not.toMatch(/fulfillmentOrderLineItems/);
    expect(mutation.variables(step)).toEqual({ id: step.fo, message: 'rush', notifyCustomer: true });
    expect(requestFulfillmentAction.mutation(AT_ACME).variables(step)).toEqual({ id: step.fo, message: null, notifyCustomer: false });
  });

  it('reads its answer', () => {
    const mutation = requestFulfillmentAction.mutation(AT_ACME);
    expect(mutation.read({ fulfillmentOrderSubmitFulfillmentRequest: { submittedFulfillmentOrder: { id: step.fo }, userErrors: [] } }, step)).toEqual(
      { kind: 'applied' },
    );
    expect(
      mutation.read(
        {
          fulfillmentOrderSubmitFulfillmentRequest: {
            submittedFulfillmentOrder: null,
            userErrors: [{ field: ['id'], message: 'cannot be submitted' }],
          },
        },
        step,
      ),
    ).toEqual({ kind: 'rejected', reason: 'rejected', message: 'cannot be submitted', code: null });
  });

  describe('readback', () => {
    const verify = (node: unknown, s = step) => requestFulfillmentAction.readback(AT_ACME).verify(node, s);

    it('from UNSUBMITTED: any request status is our request (even rejected at once); unsubmitted or gone is not', () => {
      for (const requestStatus of ['SUBMITTED', 'ACCEPTED', 'REJECTED', 'CANCELLATION_REQUESTED', 'CANCELLATION_REJECTED']) {
        expect(verify(foNode({ id: step.fo, requestStatus, service: ACME })), requestStatus).toBe('applied');
      }
      expect(verify(foNode({ id: step.fo, requestStatus: 'UNSUBMITTED', service: ACME }))).toBe('not-applied');
      // Closed by a merchant's own fulfilment, say: not a request — a resend is refused and reported.
      expect(verify(foNode({ id: step.fo, status: 'CLOSED', requestStatus: 'UNSUBMITTED', service: ACME }))).toBe('not-applied');
      expect(verify(null)).toBe('not-applied');
    });

    it('from REJECTED: a pending or accepted request, or a newer latest request, is ours; the same latest request is not', () => {
      const planned = { ...step, requestStatus: 'REJECTED', lastRequestId: 'gid://shopify/FulfillmentOrderMerchantRequest/1' };
      expect(verify(foNode({ id: step.fo, requestStatus: 'SUBMITTED', service: ACME }), planned)).toBe('applied');
      // Rejected again at once: the newer request shows it was sent.
      expect(
        verify(
          foNode({ id: step.fo, requestStatus: 'REJECTED', lastRequestId: 'gid://shopify/FulfillmentOrderMerchantRequest/2', service: ACME }),
          planned,
        ),
      ).toBe('applied');
      expect(verify(foNode({ id: step.fo, requestStatus: 'REJECTED', lastRequestId: planned.lastRequestId, service: ACME }), planned)).toBe(
        'not-applied',
      );
    });

    it('from REJECTED without the plan’s latest request (not read): unknowable, never resent', () => {
      const planned = { ...step, requestStatus: 'REJECTED' };
      expect(
        verify(
          foNode({ id: step.fo, requestStatus: 'REJECTED', lastRequestId: 'gid://shopify/FulfillmentOrderMerchantRequest/2', service: ACME }),
          planned,
        ),
      ).toBe('unknowable');
    });

    it('the lookup reads the latest request only of fulfillment orders to be requested again after a rejection', () => {
      const refine = requestFulfillmentAction.lookup(AT_ACME).refine!;
      const rejected = atService.rejected(ACME);
      const order = snapshot([atService.unsubmitted(ACME), rejected, atService.submitted(ACME)]);
      expect(refine.targets(order)).toEqual([rejected.id]);
      const merged = refine.merge(order, [
        foNode({ id: rejected.id, requestStatus: 'REJECTED', lastRequestId: 'gid://shopify/FulfillmentOrderMerchantRequest/7', service: ACME }),
      ]);
      expect(merged.fulfillmentOrders.map((fo) => fo.lastRequestId)).toEqual([
        undefined,
        'gid://shopify/FulfillmentOrderMerchantRequest/7',
        undefined,
      ]);
      const decision = planRequestFulfillment(merged, AT_ACME);
      expect(decision.kind === 'act' && decision.steps.find((s) => s.fo === rejected.id)).toMatchObject({
        lastRequestId: 'gid://shopify/FulfillmentOrderMerchantRequest/7',
      });
    });

    it('from a cancelled fulfillment order (Shopify puts a new request on a new one): unproven is unknowable, never resent', () => {
      const planned = {
        ...step,
        requestStatus: 'CANCELLATION_ACCEPTED',
        status: 'CANCELLED',
        lastRequestId: 'gid://shopify/FulfillmentOrderMerchantRequest/1',
      };
      expect(
        verify(
          foNode({ id: step.fo, status: 'CANCELLED', requestStatus: 'CANCELLATION_ACCEPTED', lastRequestId: planned.lastRequestId, service: ACME }),
          planned,
        ),
      ).toBe('unknowable');
      expect(
        verify(foNode({ id: step.fo, status: 'CLOSED', requestStatus: 'CLOSED', lastRequestId: planned.lastRequestId, service: ACME }), planned),
      ).toBe('unknowable');
    });
  });

  it('surveys the services with something to request, skipping cancelled orders', () => {
    const survey: ServicesSurvey = {};
    requestFulfillmentAction.survey!(
      snapshot([atService.unsubmitted(ACME), atService.rejected(ACME), atService.unsubmitted(BETA), atService.submitted(BETA), merchant.open()]),
      survey,
      {},
    );
    requestFulfillmentAction.survey!(snapshot([atService.unsubmitted(BETA)], { cancelledAt: '2026-11-01T00:00:00.000Z' }), survey, {});
    expect(survey).toEqual({ services: { [ACME]: 2, [BETA]: 1 } });
  });

  it('counts planned fulfillment orders per service for the plan', () => {
    const facts_: RequestFulfillmentFacts = {};
    const order = snapshot([atService.unsubmitted(ACME), atService.unsubmitted(BETA), atService.rejected(ACME)]);
    const decision = planRequestFulfillment(order, { ...AT_ACME, services: [ACME, BETA] });
    for (const step of decision.kind === 'act' ? decision.steps : []) requestFulfillmentAction.stepFacts!(step, facts_);
    expect(facts_).toEqual({ service: { [ACME]: 2, [BETA]: 1 } });
  });
});
