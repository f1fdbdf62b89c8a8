// The interrupt state every long-running piece shares: an AbortSignal aborted on the first
// SIGINT/SIGTERM, plus listeners for "say something now". Who delivers the signals is the caller's
// business (the process context hooks `process`; tests fire fake ones), so this file stays pure.

import { InterruptedError, type InterruptKind } from './errors.js';

export type InterruptListener = (kind: InterruptKind, count: number) => void;

export interface Interrupts {
  /** Aborted on the first interrupt; its reason is an InterruptedError. */
  readonly signal: AbortSignal;
  /** How many interrupts have arrived. */
  readonly count: number;
  /** The first interrupt's kind: it decides the exit code (130 or 143). */
  readonly kind: InterruptKind | null;
  /** Called on every interrupt after the signal is aborted. Returns an unsubscribe function. */
  onInterrupt(listener: InterruptListener): () => void;
}

export interface InterruptSource {
  interrupts: Interrupts;
  deliver(kind: InterruptKind): void;
}

export function createInterrupts(): InterruptSource {
  const controller = new AbortController();
  const listeners = new Set<InterruptListener>();
  let count = 0;
  let kind: InterruptKind | null = null;

  const interrupts: Interrupts = {
    signal: controller.signal,
    get count() {
      return count;
    },
    get kind() {
      return kind;
    },
    onInterrupt(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };

  const deliver = (received: InterruptKind): void => {
    count += 1;
    if (kind === null) {
      kind = received;
      controller.abort(new InterruptedError(received));
    }
    for (const listener of [...listeners]) listener(received, count);
  };

  return { interrupts, deliver };
}
