// What a run tells its onlookers (the progress display, statistics): plain events, so the engine
// knows nothing of how they are shown.
import type { OrderOutcome } from '../actions/action.js';

export type RunEvent =
  | { type: 'phase'; phase: 'connecting' | 'selecting' | 'executing' | 'confirming' | 'finished' }
  | { type: 'planned'; order: string; name: string | null; decision: 'act' | 'already' | 'skipped' | 'failed'; reason: string | null }
  | { type: 'outcome'; order: string; name: string | null; outcome: OrderOutcome; reason: string | null; message: string | null }
  | { type: 'request'; kind: string };

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
