import { describe, expect, it } from 'vitest';

import {
  markOpenAction,
  planMarkOpen,
  type MarkOpenFacts,
  type MarkOpenOptions,
  type MarkOpenSurvey,
} from '../../../src/actions/mark-open/action.js';
import { atService, facts, foNode, merchant, snapshot } from './snapshots.js';

const ALL: MarkOpenOptions = { methods: null, includeScheduled: false };

describe('planMarkOpen', () => {
  it('acts on an IN_PROGRESS fulfillment order at a merchant location that offers MARK_AS_OPEN', () => {
    const fo = merchant.inProgress();
    expect(planMarkOpen(snapshot([fo]), ALL)).toEqual({ kind: 'act', steps: [{ fo: fo.id, from: 'IN_PROGRESS', method: expect.any(String) }] });
  });

  it('acts on every in-progress fulfillment order of an order, and only on those', () => {
    const a = merchant.inProgress();
    const b = merchant.inProgress({ method: 'LOCAL' });
    const open = merchant.open();
    const closed = merchant.closed();
    expect(planMarkOpen(snapshot([a, open, b, closed]), ALL)).toEqual({
      kind: 'act',
      steps: [
        { fo: a.id, from: 'IN_PROGRESS', method: expect.any(String) },
        { fo: b.id, from: 'IN_PROGRESS', method: expect.any(String) },
      ],
    });
  });

  it('leaves a fulfillment order at a service alone while acting on the merchant one beside it', () => {
    const own = merchant.inProgress();
    expect(planMarkOpen(snapshot([atService.accepted(), own]), ALL)).toEqual({
      kind: 'act',
      steps: [{ fo: own.id, from: 'IN_PROGRESS', method: expect.any(String) }],
    });
  });

  it('is already done when the chosen fulfillment orders are open', () => {
    expect(planMarkOpen(snapshot([merchant.open()]), ALL)).toEqual({ kind: 'already', message: 'already open (unfulfilled)' });
    expect(planMarkOpen(snapshot([merchant.open(), merchant.closed()]), ALL)).toMatchObject({ kind: 'already' });
  });

  describe('skips', () => {
    it('order-cancelled, too-many-fulfillment-orders and no-fulfillment-orders come first', () => {
      expect(planMarkOpen(snapshot([merchant.inProgress()], { cancelledAt: '2026-11-01T00:00:00.000Z' }), ALL)).toMatchObject({
        kind: 'skip',
        reason: 'order-cancelled',
      });
      expect(planMarkOpen(snapshot([merchant.inProgress()], { truncated: true }), ALL)).toMatchObject({
        kind: 'skip',
        reason: 'too-many-fulfillment-orders',
      });
      expect(planMarkOpen(snapshot([]), ALL)).toMatchObject({ kind: 'skip', reason: 'no-fulfillment-orders' });
    });

    it('at-fulfillment-service when only services hold it, pointing at cancel-request', () => {
      expect(planMarkOpen(snapshot([atService.accepted(), atService.submitted()]), ALL)).toEqual({
        kind: 'skip',
        reason: 'at-fulfillment-service',
        message:
          'only fulfillment orders at your own locations are marked open; this one is at a fulfillment service; to stop the service, use `bulkfill cancel-request`',
      });
    });

    it('at-fulfillment-service without the cancel-request hint when no request is pending or accepted', () => {
      const decision = planMarkOpen(snapshot([atService.unsubmitted()]), ALL);
      expect(decision).toMatchObject({ kind: 'skip', reason: 'at-fulfillment-service' });
      expect(decision.kind === 'skip' && decision.message).not.toMatch(/cancel-request/);
    });

    it('method-not-chosen, naming the methods it has', () => {
      const decision = planMarkOpen(snapshot([merchant.inProgress({ method: 'LOCAL' }), merchant.inProgress({ method: 'PICK_UP' })]), {
        ...ALL,
        methods: ['shipping'],
      });
      expect(decision).toEqual({ kind: 'skip', reason: 'method-not-chosen', message: 'its delivery method (local, pick-up) was not chosen' });
    });

    it('not-eligible when an in-progress fulfillment order lacks MARK_AS_OPEN', () => {
      const decision = planMarkOpen(snapshot([facts({ status: 'IN_PROGRESS', actions: ['CREATE_FULFILLMENT'] })]), ALL);
      expect(decision).toEqual({ kind: 'skip', reason: 'not-eligible', message: 'Shopify does not offer to mark it open' });
    });

    it('scheduled without --include-scheduled, with the hint', () => {
      expect(planMarkOpen(snapshot([merchant.scheduled()]), ALL)).toEqual({
        kind: 'skip',
        reason: 'scheduled',
        message: 'it is scheduled; add --include-scheduled to open it now',
      });
    });

    it('on-hold', () => {
      expect(planMarkOpen(snapshot([merchant.onHold()]), ALL)).toEqual({
        kind: 'skip',
        reason: 'on-hold',
        message: 'it is on hold; release the hold first',
      });
    });

    it('not-in-progress for closed (fulfilled) work, listing the statuses once each', () => {
      expect(planMarkOpen(snapshot([merchant.closed(), merchant.closed(), facts({ status: 'INCOMPLETE' })]), ALL)).toEqual({
        kind: 'skip',
        reason: 'not-in-progress',
        message: 'nothing in progress (closed, incomplete)',
      });
    });

    it('scheduled is told before on-hold, and on-hold before already open', () => {
      expect(planMarkOpen(snapshot([merchant.onHold(), merchant.scheduled()]), ALL)).toMatchObject({ reason: 'scheduled' });
      expect(planMarkOpen(snapshot([merchant.open(), merchant.onHold()]), ALL)).toMatchObject({ reason: 'on-hold' });
    });
  });

  describe('--method', () => {
    it('acts only on the chosen methods’ fulfillment orders', () => {
      const shipping = merchant.inProgress({ method: 'SHIPPING' });
      const local = merchant.inProgress({ method: 'LOCAL' });
      const pickup = merchant.inProgress({ method: 'PICK_UP' });
      expect(planMarkOpen(snapshot([shipping, local, pickup]), { ...ALL, methods: ['local', 'pick-up'] })).toEqual({
        kind: 'act',
        steps: [
          { fo: local.id, from: 'IN_PROGRESS', method: expect.any(String) },
          { fo: pickup.id, from: 'IN_PROGRESS', method: expect.any(String) },
        ],
      });
    });

    it('maps every DeliveryMethodType to its flag value; no method at all counts as none', () => {
      const pairs = [
        ['SHIPPING', 'shipping'],
        ['LOCAL', 'local'],
        ['PICK_UP', 'pick-up'],
        ['PICKUP_POINT', 'pickup-point'],
        ['RETAIL', 'retail'],
        ['NONE', 'none'],
        [null, 'none'],
      ] as const;
      for (const [type, flag] of pairs) {
        const fo = merchant.inProgress({ method: type });
        expect(planMarkOpen(snapshot([fo]), { ...ALL, methods: [flag] }), `${type}`).toMatchObject({ kind: 'act' });
        const other = flag === 'shipping' ? 'local' : 'shipping';
        expect(planMarkOpen(snapshot([fo]), { ...ALL, methods: [other] }), `${type}`).toMatchObject({ reason: 'method-not-chosen' });
      }
    });

    it('a chosen method that is already open is already, even when another method is in progress', () => {
      expect(
        planMarkOpen(snapshot([merchant.open({ method: 'LOCAL' }), merchant.inProgress({ method: 'SHIPPING' })]), { ...ALL, methods: ['local'] }),
      ).toMatchObject({
        kind: 'already',
      });
    });
  });

  describe('--include-scheduled', () => {
    it('adds SCHEDULED fulfillment orders, opened from SCHEDULED', () => {
      const scheduled = merchant.scheduled();
      const inProgress = merchant.inProgress();
      expect(planMarkOpen(snapshot([scheduled, inProgress]), { ...ALL, includeScheduled: true })).toEqual({
        kind: 'act',
        steps: [
          { fo: scheduled.id, from: 'SCHEDULED', method: expect.any(String) },
          { fo: inProgress.id, from: 'IN_PROGRESS', method: expect.any(String) },
        ],
      });
    });

    it('without it, the scheduled one waits and the in-progress one is opened', () => {
      const inProgress = merchant.inProgress();
      expect(planMarkOpen(snapshot([merchant.scheduled(), inProgress]), ALL)).toEqual({
        kind: 'act',
        steps: [{ fo: inProgress.id, from: 'IN_PROGRESS', method: expect.any(String) }],
      });
    });

    it('a scheduled fulfillment order Shopify does not offer to open is not-eligible', () => {
      expect(planMarkOpen(snapshot([facts({ status: 'SCHEDULED', actions: [] })]), { ...ALL, includeScheduled: true })).toMatchObject({
        reason: 'not-eligible',
      });
    });

    it('never opens a scheduled fulfillment order at a service', () => {
      const decision = planMarkOpen(snapshot([facts({ service: 'acme-3pl', status: 'SCHEDULED', actions: ['MARK_AS_OPEN'] })]), {
        ...ALL,
        includeScheduled: true,
      });
      expect(decision).toMatchObject({ kind: 'skip', reason: 'at-fulfillment-service' });
    });
  });
});

describe('markOpenAction', () => {
  it('sends fulfillmentOrderOpen with the fulfillment order id and reads its answer', () => {
    const mutation = markOpenAction.mutation(ALL);
    const step = { fo: 'gid://shopify/FulfillmentOrder/3', from: 'IN_PROGRESS' };
    expect(mutation.document(step).text).toMatch(/fulfillmentOrderOpen\(id: \$id\)/);
    expect(mutation.variables(step)).toEqual({ id: 'gid://shopify/FulfillmentOrder/3' });
    expect(mutation.read({ fulfillmentOrderOpen: { fulfillmentOrder: { id: step.fo, status: 'OPEN' }, userErrors: [] } }, step)).toEqual({
      kind: 'applied',
    });
    expect(mutation.read({ fulfillmentOrderOpen: { fulfillmentOrder: null, userErrors: [{ field: ['id'], message: 'nope' }] } }, step)).toMatchObject(
      {
        kind: 'rejected',
        message: 'nope',
      },
    );
    expect(mutation.note).toBeUndefined();
  });

  it('reads back: applied once the fulfillment order is OPEN', () => {
    const readback = markOpenAction.readback(ALL);
    const step = { fo: 'gid://shopify/FulfillmentOrder/3', from: 'IN_PROGRESS' };
    expect(readback.target(step)).toBe(step.fo);
    expect(readback.verify(foNode({ id: step.fo, status: 'OPEN' }), step)).toBe('applied');
    expect(readback.verify(foNode({ id: step.fo, status: 'IN_PROGRESS' }), step)).toBe('not-applied');
    expect(readback.verify(foNode({ id: step.fo, status: 'SCHEDULED' }), { ...step, from: 'SCHEDULED' })).toBe('not-applied');
    expect(readback.verify(null, step)).toBe('not-applied');
  });

  it('surveys the delivery methods of the fulfillment orders it would open', () => {
    const survey: MarkOpenSurvey = {};
    markOpenAction.survey!(
      snapshot([merchant.inProgress(), merchant.inProgress({ method: 'LOCAL' }), merchant.scheduled({ method: 'RETAIL' }), atService.accepted()]),
      survey,
      {},
    );
    markOpenAction.survey!(snapshot([merchant.inProgress()], { cancelledAt: '2026-11-01T00:00:00.000Z' }), survey, {});
    expect(survey).toEqual({ methods: { shipping: 1, local: 1 } });
    markOpenAction.survey!(snapshot([merchant.scheduled({ method: 'RETAIL' })]), survey, { includeScheduled: true });
    expect(survey.methods?.retail).toBe(1);
  });

  it('counts planned fulfillment orders per method for the plan', () => {
    const facts_: MarkOpenFacts = {};
    const order = snapshot([merchant.inProgress(), merchant.inProgress(), merchant.inProgress({ method: 'LOCAL' })]);
    const decision = planMarkOpen(order, ALL);
    for (const step of decision.kind === 'act' ? decision.steps : []) markOpenAction.stepFacts!(step, facts_);
    expect(facts_).toEqual({ method: { shipping: 2, local: 1 } });
  });
});
