// What reading orders needs of the run's requester: a paced, retried read, and whether the rate-limit
// budget can spare some points. Selection takes this, so it does not depend on the run engine.
import type { CallOutcome } from './call-outcome.js';

export interface AdminReader {
  /** A query, paced by its expected cost and retried until it answers; only a successful answer returns. */
  read(document: string, variables: Record<string, unknown>, expectedCost: number, signal: AbortSignal): Promise<CallOutcome & { kind: 'ok' }>;
  /** Whether spending these points now leaves the run's own work unslowed. */
  canSpare(points: number): boolean;
}
