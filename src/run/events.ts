// What a run tells its onlookers (the progress display, statistics): plain events, so the engine
// knows nothing of how they are shown.
import type { OrderOutcome } from '../journal/format.js';

export type RunEvent =
  | { type: 'phase'; phase: 'connecting' | 'selecting' | 'executing' | 'confirming' | 'finished' }
  | { type: 'planned'; order: string; name: string | null; decision: 'act' | 'already' | 'skipped' | 'failed'; reason: string | null }
  | { type: 'outcome'; order: string; name: string | null; outcome: OrderOutcome; reason: string | null; message: string | null }
  /** Shopify accepted an order's asynchronous work (a cancel job): its outcome follows once confirmed. */
  | { type: 'accepted'; order: string }
  | { type: 'request'; kind: string }
  /** The rate-limit bucket as last known (cost points): after each answer, from the cost gate's mirror. */
  | { type: 'bucket'; available: number; maximumAvailable: number };

export interface RunEvents {
  emit(event: RunEvent): void;
}

export class EventHub implements RunEvents {
  private readonly listeners: ((event: RunEvent) => void)[] = [];

  on(listener: (event: RunEvent) => void): void {
    this.listeners.push(listener);
  }

  emit(event: RunEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
