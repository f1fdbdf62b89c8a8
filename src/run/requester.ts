// Every request of a run goes through here: paced by the cost gate, retried when Shopify certainly did
// not run it (THROTTLED, 429, connection refused), and — for reads only — after transient failures
// too. A mutation that may have reached Shopify is never resent from here: the step executor verifies
// first (see step-executor.ts). Failures no retry can fix end the run with a typed error.
import type { AdminReader } from '../shopify/admin-reader.js';
import { AuthError, RunError, ShopUnavailableError, UsageError } from '../errors.js';
import type { CallOutcome } from '../shopify/call-outcome.js';
import type { Transport } from '../shopify/transport.js';
import type { CostGate } from './cost-gate.js';
import { backoffMs, type RetryLimits } from './retry-policy.js';

export interface RequesterDeps {
  transport: Transport;
  gate: CostGate;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  random(): number;
  timeoutMs: number;
  limits: RetryLimits;
  /** Told about every answer, for statistics and the progress display. */
  onAnswer?(outcome: CallOutcome): void;
}

export class Requester implements AdminReader {
  /**
   * Expected cost per document, learned from Shopify's requestedQueryCost. Only for requests without
   * an `ids` list: their cost depends on how many ids are asked for, which the caller's figure counts.
   */
  private readonly learnedCost = new Map<string, number>();

  constructor(private readonly deps: RequesterDeps) {}

  /**
   * One send that Shopify may have executed, retried only when it certainly did not. Returns the
   * outcome of the last attempt: ok, a GraphQL error, or one that may have been applied.
   */
  async attempt(
    document: string,
    variables: Record<string, unknown>,
    expectedCost: number,
    signal: AbortSignal,
    /**
     * Called each time the cost gate lets the request go (a THROTTLED or 429 answer sends it again):
     * from then on it may reach Shopify, and a read-back must allow for that send, not the first.
     */
    onAdmitted?: () => void,
  ): Promise<CallOutcome> {
    for (let retry = 0; ; retry++) {
      const outcome = await this.once(document, variables, expectedCost, signal, onAdmitted);
      const wait = this.waitBeforeResend(outcome, retry);
      if (wait === null) return outcome;
      await this.deps.sleep(wait, signal);
    }
  }

  /** A read: safe to repeat, so transient failures are retried (bounded), then reported. */
  async read(document: string, variables: Record<string, unknown>, expectedCost: number, signal: AbortSignal): Promise<CallOutcome & { kind: 'ok' }> {
    for (let failures = 0; ;) {
      const outcome = await this.attempt(document, variables, expectedCost, signal);
      if (outcome.kind === 'ok') return outcome;
      if (outcome.kind === 'graphql-errors' && !isInternalError(outcome)) throw queryError(outcome.errors.map((e) => e.message).join('; '));
      if (outcome.kind === 'aborted') signal.throwIfAborted();
      failures++;
      if (failures > this.deps.limits.transientRetries) throw new RunError(`Shopify kept failing: ${describe(outcome)}`);
      await this.deps.sleep(backoffMs(failures, this.deps.limits, this.deps.random), signal);
    }
  }

  /**
   * `nodes(ids:)` reads, the run's usual lookup: one node (or null) per id, in order. `perNode` is the
   * expected points per id; the batch's reservation is sized from it.
   */
  async readNodes(
    document: string,
    ids: string[],
    perNode: number,
    signal: AbortSignal,
    variables: Record<string, unknown> = {},
  ): Promise<unknown[]> {
    for (let failures = 0; ;) {
      const answer = await this.read(document, { ids, ...variables }, perNode * ids.length + 2, signal);
      const nodes: unknown[] = Array.isArray(answer.data?.nodes) ? answer.data.nodes : [];
      // A node must be the one asked for at its place: an answer that puts another node there (a
      // duplicated or shifted list) would have one order decided on, or confirmed, with another's
      // facts. Such an answer is read again; a node still out of place counts as missing.
      const aligned = ids.map((id, i) => {
        const node = nodes[i] ?? null;
        return nodeIdOf(node) === null || nodeIdOf(node) === id ? node : MISPLACED;
      });
      if (!aligned.includes(MISPLACED) || failures >= this.deps.limits.transientRetries) {
        return aligned.map((node) => (node === MISPLACED ? null : node));
      }
      failures++;
      await this.deps.sleep(backoffMs(failures, this.deps.limits, this.deps.random), signal);
    }
  }

  /** Whether `points` are to spare: spending them now would leave the bucket at least half full. */
  canSpare(points: number): boolean {
    return this.deps.gate.canSpare(points);
  }

  private async once(
    document: string,
    variables: Record<string, unknown>,
    expectedCost: number,
    signal: AbortSignal,
    onAdmitted?: () => void,
  ): Promise<CallOutcome> {
    signal.throwIfAborted();
    const learnable = !Array.isArray(variables['ids']);
    const reservation = await this.deps.gate.acquire((learnable ? this.learnedCost.get(document) : undefined) ?? expectedCost, signal);
    let outcome: CallOutcome;
    try {
      onAdmitted?.();
      outcome = await this.deps.transport.request(document, variables, { signal, timeoutMs: this.deps.timeoutMs });
    } catch (error) {
      this.deps.gate.release(reservation, null, 'unknown');
      throw error;
    }
    const cost = 'cost' in outcome && typeof outcome.cost === 'object' ? outcome.cost : null;
    if (learnable && cost && cost.requested > 0) this.learnedCost.set(document, cost.requested);
    this.deps.gate.release(reservation, cost, outcome.kind === 'throttled' ? 'throttled' : cost ? 'answered' : 'unknown');
    this.deps.onAnswer?.(outcome);
    failFast(outcome);
    return outcome;
  }

  /** How long to wait before sending again, when Shopify certainly did not run the request; else null. */
  private waitBeforeResend(outcome: CallOutcome, retry: number): number | null {
    switch (outcome.kind) {
      case 'throttled':
        // The gate now knows the bucket is empty and will pace the resend itself.
        return retry < this.deps.limits.throttleRetries ? 0 : null;
      case 'rate-limited':
        if (retry >= this.deps.limits.throttleRetries) return null;
        return outcome.retryAfterMs ?? backoffMs(retry + 1, this.deps.limits, this.deps.random);
      case 'network':
        if (!outcome.refused || retry >= this.deps.limits.transientRetries) return null;
        return backoffMs(retry + 1, this.deps.limits, this.deps.random);
      default:
        return null;
    }
  }
}

const MISPLACED = Symbol('misplaced node');

function nodeIdOf(node: unknown): string | null {
  return typeof node === 'object' && node !== null && typeof (node as { id?: unknown }).id === 'string' ? (node as { id: string }).id : null;
}

/** Answers that no retry can fix end the run. */
function failFast(outcome: CallOutcome): void {
  switch (outcome.kind) {
    case 'auth':
      throw new AuthError(
        outcome.requiredAccess ? `The access token lacks a scope: ${outcome.message}` : `Shopify refused the access token: ${outcome.message}`,
        outcome.requiredAccess ? `Grant the app ${outcome.requiredAccess} and try again.` : 'Check SHOPIFY_ACCESS_TOKEN or --token-file.',
      );
    case 'shop-unavailable':
      throw new ShopUnavailableError(
        `${shopState(outcome.status)}: ${outcome.message}`,
        'Nothing more was sent. Try again once the shop is available.',
      );
    case 'max-cost':
      throw new Error(`bulkfill sent a query costing ${outcome.cost} points, above Shopify's ${outcome.maxCost}; this is a bug`);
    case 'http-error':
      throw new RunError(`Shopify answered HTTP ${outcome.status}: ${outcome.message}`);
  }
}

function shopState(status: number): string {
  if (status === 402) return 'The shop is frozen (HTTP 402 Payment Required): Shopify serves no API calls until its bill is paid';
  if (status === 423) return 'The shop is locked (HTTP 423): Shopify has made it unavailable to apps';
  return 'The shop is not active';
}

/** Shopify's INTERNAL_SERVER_ERROR: a failure on its side, worth retrying like a 5xx (reads only). */
function isInternalError(outcome: CallOutcome & { kind: 'graphql-errors' }): boolean {
  return outcome.errors.some((error) => error.code === 'INTERNAL_SERVER_ERROR');
}

function queryError(message: string): Error {
  return /search query/i.test(message) ? new UsageError(message) : new RunError(`Shopify refused a query: ${message}`);
}

export function describe(outcome: CallOutcome): string {
  switch (outcome.kind) {
    case 'server-error':
    case 'rate-limited':
      return `HTTP ${outcome.status}`;
    case 'network':
      return outcome.timedOut ? 'timed out' : outcome.message;
    case 'malformed':
      return `unreadable answer (${outcome.message})`;
    case 'graphql-errors':
      return outcome.errors.map((e) => e.message).join('; ') || outcome.kind;
    default:
      return outcome.kind;
  }
}
