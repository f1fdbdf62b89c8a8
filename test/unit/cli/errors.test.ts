import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';

import { AuthError, classifyError, InterruptedError, UsageError } from '../../../src/errors.js';

describe('classifyError', () => {
  it('maps commander help/version to 0 and its other errors to 2, without a message of its own', () => {
    expect(classifyError(new CommanderError(0, 'commander.helpDisplayed', '(outputHelp)'), null)).toEqual({ exitCode: 0 });
    expect(classifyError(new CommanderError(0, 'commander.version', '0.1.0'), null)).toEqual({ exitCode: 0 });
    expect(classifyError(new CommanderError(1, 'commander.unknownOption', 'x'), null)).toEqual({ exitCode: 2 });
    expect(classifyError(new CommanderError(1, 'commander.invalidArgument', 'x'), null)).toEqual({ exitCode: 2 });
  });

  it('keeps message and hint of expected errors, without a stack', () => {
    expect(classifyError(new UsageError('bad --limit', 'use a number'), null)).toEqual({
      exitCode: 2,
      message: 'bad --limit',
      hint: 'use a number',
    });
    expect(classifyError(new AuthError('401'), null)).toEqual({ exitCode: 4, message: '401' });
  });

  it('maps interruptions by signal', () => {
    expect(classifyError(new InterruptedError('SIGINT'), null).exitCode).toBe(130);
    expect(classifyError(new InterruptedError('SIGTERM'), null).exitCode).toBe(143);
    const abort = Object.assign(new Error('The operation was aborted'), { name: 'AbortError' });
    expect(classifyError(abort, 'SIGTERM').exitCode).toBe(143);
    // An abort nobody asked for is a bug, not an interruption.
    expect(classifyError(abort, null).exitCode).toBe(1);
  });

  it('reduces unexpected errors to one line plus the stack', () => {
    const report = classifyError(new Error('first\nsecond'), null);
    expect(report.exitCode).toBe(1);
    expect(report.message).toBe('first');
    expect(report.stack).toContain('Error: first');
    expect(classifyError('a string', null)).toEqual({ exitCode: 1, message: 'a string' });
  });
});
