// Typed errors and the one mapping from any thrown value to an exit code (docs/shopify-behaviour.md#exit-codes).
// Expected errors carry a message for humans and an optional hint; only unexpected ones (bugs) have a
// stack worth showing, and only with --verbose.

import { CommanderError } from 'commander';

export const ExitCode = {
  Ok: 0,
  Unexpected: 1,
  Usage: 2,
  /** Returned by commands (never thrown): the run completed, some orders failed or are unknown. */
  RunFailed: 3,
  Auth: 4,
  Sigint: 130,
  Sigterm: 143,
} as const;

export type InterruptKind = 'SIGINT' | 'SIGTERM';

export function exitCodeForSignal(kind: InterruptKind): number {
  return kind === 'SIGTERM' ? ExitCode.Sigterm : ExitCode.Sigint;
}

/** An error we anticipated: its message is written for the user, so no stack is ever shown. */
export abstract class ExpectedError extends Error {
  abstract readonly exitCode: number;
  readonly hint: string | undefined;

  constructor(message: string, hint?: string, options?: ErrorOptions) {
    super(message, options);
    this.hint = hint;
  }
}

/** Bad flag, argument or input (including a value missing when prompting is impossible). */
export class UsageError extends ExpectedError {
  override readonly name = 'UsageError';
  readonly exitCode = ExitCode.Usage;
}

/** The token was refused (401) or lacks an access scope. */
export class AuthError extends ExpectedError {
  override readonly name = 'AuthError';
  readonly exitCode = ExitCode.Auth;
}

/** A run-ending failure that is not a bug (exit 1 without a stack trace). */
export class RunError extends ExpectedError {
  override readonly name = 'RunError';
  readonly exitCode = ExitCode.Unexpected;
}

/**
 * The shop cannot serve this run at all: frozen (402), locked (423) or inactive. Like a revoked token,
 * Shopify refuses the app access to the store and only a person can change that, so it exits as an
 * access failure (4), not as a bug (1).
 */
export class ShopUnavailableError extends ExpectedError {
  override readonly name = 'ShopUnavailableError';
  readonly exitCode = ExitCode.Auth;
}

/** Errors after which no further order of a run can succeed. */
export const isFatal = (error: unknown): boolean => error instanceof AuthError || error instanceof ShopUnavailableError;

/** A line that is not a journal entry, anywhere but at the very end (where it is a torn write). */
export class JournalCorruptError extends ExpectedError {
  override readonly name = 'JournalCorruptError';
  readonly exitCode = ExitCode.Usage;

  constructor(
    readonly path: string,
    readonly line: number,
    readonly problem: string,
  ) {
    super(
      `The run journal ${path} is damaged at line ${line}: ${problem}.`,
      'bulkfill only ever appends whole lines to a journal, so the file was changed by something else ' +
        'or the disk is damaged. Restore that line (or the file from a backup) and try again.',
    );
  }
}

export class InterruptedError extends ExpectedError {
  override readonly name = 'InterruptedError';
  readonly exitCode: number;

  constructor(readonly kind: InterruptKind) {
    super(kind === 'SIGTERM' ? 'Terminated (SIGTERM).' : 'Interrupted.');
    this.exitCode = exitCodeForSignal(kind);
  }
}

export interface ErrorReport {
  exitCode: number;
  /** Absent when the message was already written (commander prints its own parse errors). */
  message?: string;
  hint?: string;
  /** Only for unexpected errors. */
  stack?: string;
}

/**
 * `interruptKind` is the interrupt that has been received, if any: an AbortError raised because of
 * it is an interruption, not a bug.
 */
export function classifyError(error: unknown, interruptKind: InterruptKind | null): ErrorReport {
  if (error instanceof CommanderError) {
    // Help and version exit with 0; everything else commander rejects is a usage error.
    return { exitCode: error.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage };
  }
  const interrupted = asInterruption(error, interruptKind);
  if (interrupted) return { exitCode: interrupted.exitCode, message: interrupted.message };
  if (error instanceof ExpectedError) {
    return { exitCode: error.exitCode, message: error.message, ...(error.hint ? { hint: error.hint } : {}) };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    exitCode: ExitCode.Unexpected,
    message: firstLine(message) || (error instanceof Error ? error.name : 'Unknown error'),
    ...(error instanceof Error && error.stack ? { stack: error.stack } : {}),
  };
}

// @inquirer/prompts rejects with ExitPromptError on Ctrl-C (raw mode swallows SIGINT) and with
// AbortPromptError when our signal aborts it; timers and fetch reject with AbortError.
function asInterruption(error: unknown, kind: InterruptKind | null): InterruptedError | undefined {
  if (error instanceof InterruptedError) return error;
  if (!(error instanceof Error)) return undefined;
  if (error.name === 'ExitPromptError') return new InterruptedError(kind ?? 'SIGINT');
  if (kind && (error.name === 'AbortError' || error.name === 'AbortPromptError')) return new InterruptedError(kind);
  return undefined;
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0]?.trim() ?? '';
}
