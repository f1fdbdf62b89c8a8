import { describe, expect, it } from 'vitest';

import {
  NOTES,
  cancelRequestAction,
  planCancelRequest,
  type CancelRequestFacts,
  type CancelRequestOptions,
  type CancelRequestSurvey,
} from '../../../src/actions/cancel-request/action.js';
import { ACME, BETA, atService, facts, foNode, merchant, snapshot } from './snapshots.js';

const AT_ACME: CancelRequestOptions = { services: [ACME], message: null };

describe('planCancelRequest', () => {
  it('requests cancellation of a request the service accepted', () => {
    const fo = atService.accepted();
    expect(planCancelRequest(snapshot([fo]), AT_ACME)).toEqual({ kind: 'act', steps: [{ fo: fo.id, service: ACME, kind: 'request-cancellation' }] });
  });

  it('withdraws a request the service has not accepted yet', () => {
    const fo = atService.submitted();
    expect(planCancelRequest(snapshot([fo]), AT_ACME)).toEqual({ kind: 'act', steps: [{ fo: fo.id, service: ACME, kind: 'withdraw' }] });
  });

  it('does both on one order, one step per fulfillment order, at the chosen services only', () => {
    const accepted = atService.accepted(ACME);
    const submitted = atService.submitted(BETA);
    const elsewhere = atService.accepted('gamma');
    expect(
      planCancelRequest(snapshot([merchant.inProgress(), accepted, elsewhere, submitted, atService.cancellationRequested()]), {
        ...AT_ACME,
        services: [ACME, BETA],
      }),
    ).toEqual({
      kind: 'act',
      steps: [
        { fo: accepted.id, service: ACME, kind: 'request-cancellation' },
        { fo: submitted.id, service: BETA, kind: 'withdraw' },
      ],
    });
  });

  describe('what the services made of earlier cancellation requests', () => {
    it('waiting: already, cancellation requested', () => {
      expect(planCancelRequest(snapshot([atService.cancellationRequested()]), AT_ACME)).toEqual({
        kind: 'already',
        message: 'cancellation requested; waiting for the service to answer',
      });
    });

    it('accepted: already, the service accepted the cancellation', () => {
      expect(planCancelRequest(snapshot([atService.cancellationAccepted()]), AT_ACME)).toEqual({
        kind: 'already',
        message: 'the service accepted the cancellation',
      });
    });

    it('rejected: skipped cancellation-rejected', () => {
      expect(planCancelRequest(snapshot([atService.cancellationRejected()]), AT_ACME)).toEqual({
        kind: 'skip',
        reason: 'cancellation-rejected',
        message: 'the service rejected the cancellation request; it keeps the work',
      });
    });

    it('a rejection outweighs a wait, and a wait an acceptance', () => {
      expect(planCancelRequest(snapshot([atService.cancellationAccepted(), atService.cancellationRejected()]), AT_ACME)).toMatchObject({
        reason: 'cancellation-rejected',
      });
      expect(planCancelRequest(snapshot([atService.cancellationAccepted(), atService.cancellationRequested()]), AT_ACME)).toMatchObject({
        kind: 'already',
        message: 'cancellation requested; waiting for the service to answer',
      });
    });

    it('acting comes before reporting answers: a new accepted request on the same order is still stopped', () => {
      const accepted = atService.accepted();
      expect(planCancelRequest(snapshot([atService.cancellationRejected(), accepted]), AT_ACME)).toEqual({
        kind: 'act',
        steps: [{ fo: accepted.id, service: ACME, kind: 'request-cancellation' }],
      });
    });
  });

  describe('skips', () => {
    it('order-cancelled, too-many-fulfillment-orders and no-fulfillment-orders come first', () => {
      expect(planCancelRequest(snapshot([atService.accepted()], { cancelledAt: '2026-11-01T00:00:00.000Z' }), AT_ACME)).toMatchObject({
        reason: 'order-cancelled',
      });
      expect(planCancelRequest(snapshot([atService.accepted()], { truncated: true }), AT_ACME)).toMatchObject({
        reason: 'too-many-fulfillment-orders',
      });
      expect(planCancelRequest(snapshot([]), AT_ACME)).toMatchObject({ reason: 'no-fulfillment-orders' });
    });

    it('merchant-managed', () => {
      expect(planCancelRequest(snapshot([merchant.inProgress()]), AT_ACME)).toEqual({
        kind: 'skip',
        reason: 'merchant-managed',
        message: 'no fulfillment service holds it',
      });
    });

    it('service-not-chosen, naming where it is', () => {
      expect(planCancelRequest(snapshot([atService.accepted(BETA)]), AT_ACME)).toEqual({
        kind: 'skip',
        reason: 'service-not-chosen',
        message: 'nothing at `acme-3pl`; it is at `beta-fulfil`',
      });
    });

    it('no-pending-request: never requested, rejected by the service, or withdrawn already (closed original, fresh replacement)', () => {
      const none = { kind: 'skip', reason: 'no-pending-request', message: 'no fulfillment request is pending or accepted' };
      expect(planCancelRequest(snapshot([atService.unsubmitted()]), AT_ACME)).toEqual(none);
      expect(planCancelRequest(snapshot([atService.rejected()]), AT_ACME)).toEqual(none);
      expect(planCancelRequest(snapshot([atService.closed(), atService.unsubmitted()]), AT_ACME)).toEqual(none);
    });

    it('not-eligible when a request is pending or accepted but Shopify does not offer to stop it', () => {
      expect(planCancelRequest(snapshot([atService.onHold(ACME, { requestStatus: 'ACCEPTED' })]), AT_ACME)).toEqual({
        kind: 'skip',
        reason: 'not-eligible',
        message: 'Shopify does not offer to cancel the request (on_hold)',
      });
      expect(planCancelRequest(snapshot([facts({ service: ACME, status: 'OPEN', requestStatus: 'SUBMITTED', actions: [] })]), AT_ACME)).toMatchObject(
        {
          reason: 'not-eligible',
        },
      );
      // An ACCEPTED request withdraws no way but by a cancellation request: CANCEL_FULFILLMENT_ORDER is no use.
      expect(
        planCancelRequest(
          snapshot([facts({ service: ACME, status: 'IN_PROGRESS', requestStatus: 'ACCEPTED', actions: ['CANCEL_FULFILLMENT_ORDER'] })]),
          AT_ACME,
        ),
      ).toMatchObject({
        reason: 'not-eligible',
      });
    });
  });
});

describe('cancelRequestAction', () => {
  const request = { fo: 'gid://shopify/FulfillmentOrder/4', service: ACME, kind: 'request-cancellation' } as const;
  const withdraw = { fo: 'gid://shopify/FulfillmentOrder/5', service: ACME, kind: 'withdraw' } as const;

  it('sends fulfillmentOrderSubmitCancellationRequest with the message for an accepted request', () => {
    const mutation = cancelRequestAction.mutation({ services: [ACME], message: 'customer cancelled' });
    expect(mutation.document(request).text).toMatch(/fulfillmentOrderSubmitCancellationRequest\(id: \$id, message: \$message\)/);
    expect(mutation.variables(request)).toEqual({ id: request.fo, message: 'customer cancelled' });
    expect(mutation.read({ fulfillmentOrderSubmitCancellationRequest: { fulfillmentOrder: { id: request.fo }, userErrors: [] } }, request)).toEqual({
      kind: 'applied',
    });
    expect(mutation.read({ fulfillmentOrderCancel: { fulfillmentOrder: { id: request.fo }, userErrors: [] } }, request)).toMatchObject({
      kind: 'unreadable',
    });
    expect(mutation.note!(request)).toBe('cancellation requested');
  });

  it('sends fulfillmentOrderCancel (no message: it never reaches the service) to withdraw', () => {
    const mutation = cancelRequestAction.mutation({ services: [ACME], message: 'customer cancelled' });
    expect(mutation.document(withdraw).text).toMatch(/fulfillmentOrderCancel\(id: \$id\)/);
    expect(mutation.variables(withdraw)).toEqual({ id: withdraw.fo });
    expect(mutation.read({ fulfillmentOrderCancel: { fulfillmentOrder: { id: withdraw.fo }, userErrors: [] } }, withdraw)).toEqual({
      kind: 'applied',
    });
    expect(
      mutation.read(
        { fulfillmentOrderCancel: { fulfillmentOrder: null, userErrors: [{ field: ['id'], message: 'cannot be cancelled' }] } },
        withdraw,
      ),
    ).toMatchObject({
      kind: 'rejected',
      message: 'cannot be cancelled',
    });
    expect(mutation.note!(withdraw)).toBe('withdrawn');
    expect(NOTES).toEqual({ 'request-cancellation': 'cancellation requested', withdraw: 'withdrawn' });
  });

  describe('readback', () => {
    const verify = (node: unknown, step: typeof request | typeof withdraw) => cancelRequestAction.readback(AT_ACME).verify(node, step);

    it('a cancellation request took effect once the request status is any CANCELLATION_ one (or the FO is cancelled)', () => {
      for (const requestStatus of ['CANCELLATION_REQUESTED', 'CANCELLATION_ACCEPTED', 'CANCELLATION_REJECTED']) {
        expect(verify(foNode({ status: 'IN_PROGRESS', requestStatus, service: ACME }), request), requestStatus).toBe('applied');
      }
      expect(verify(foNode({ status: 'CANCELLED', requestStatus: 'CANCELLATION_ACCEPTED', service: ACME }), request)).toBe('applied');
      expect(verify(foNode({ status: 'IN_PROGRESS', requestStatus: 'ACCEPTED', service: ACME }), request)).toBe('not-applied');
      expect(verify(null, request)).toBe('not-applied');
    });

    it('a withdrawal took effect once the fulfillment order is closed and replaced (request status CLOSED)', () => {
      expect(verify(foNode({ status: 'CLOSED', requestStatus: 'CLOSED', service: ACME }), withdraw)).toBe('applied');
      // Closed because the service accepted and shipped it: not withdrawn (a resend is refused and reported).
      expect(verify(foNode({ status: 'CLOSED', requestStatus: 'ACCEPTED', service: ACME }), withdraw)).toBe('not-applied');
      expect(verify(foNode({ status: 'CANCELLED', requestStatus: 'CANCELLATION_ACCEPTED', service: ACME }), withdraw)).toBe('not-applied');
      expect(verify(foNode({ status: 'OPEN', requestStatus: 'SUBMITTED', service: ACME }), withdraw)).toBe('not-applied');
      // The service accepted before the withdrawal arrived: it was not withdrawn.
      expect(verify(foNode({ status: 'IN_PROGRESS', requestStatus: 'ACCEPTED', service: ACME }), withdraw)).toBe('not-applied');
      expect(verify(null, withdraw)).toBe('not-applied');
    });
  });

  it('surveys the services with a request to stop, skipping cancelled orders', () => {
    const survey: CancelRequestSurvey = {};
    cancelRequestAction.survey!(
      snapshot([
        atService.accepted(ACME),
        atService.submitted(ACME),
        atService.submitted(BETA),
        atService.cancellationRequested(BETA),
        merchant.inProgress(),
      ]),
      survey,
      {},
    );
    cancelRequestAction.survey!(snapshot([atService.accepted(BETA)], { cancelledAt: '2026-11-01T00:00:00.000Z' }), survey, {});
    // One accepted request at ACME will get a cancellation request (and so a message); the rest are withdrawals.
    expect(survey).toEqual({ services: { [ACME]: 2, [BETA]: 1 }, cancellationRequests: 1 });
  });

  it('counts planned steps per kind and service for the plan', () => {
    const facts_: CancelRequestFacts = {};
    const order = snapshot([atService.accepted(ACME), atService.submitted(ACME), atService.submitted(BETA)]);
    const decision = planCancelRequest(order, { ...AT_ACME, services: [ACME, BETA] });
    for (const step of decision.kind === 'act' ? decision.steps : []) cancelRequestAction.stepFacts!(step, facts_);
    expect(facts_).toEqual({ 'request-cancellation': { [ACME]: 1 }, withdraw: { [ACME]: 1, [BETA]: 1 } });
  });
});
