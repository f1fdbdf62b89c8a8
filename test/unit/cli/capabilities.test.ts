import { describe, expect, it } from 'vitest';

import { canPrompt, colorLevel, type ColorInputs, type PromptInputs } from '../../../src/capabilities.js';
import { createTestContext } from '../../helpers/context.js';

describe('colorLevel', () => {
  const cases: Array<[string, Partial<ColorInputs>, number]> = [
    ['TTY', { isTTY: true }, 1],
    ['not a TTY', { isTTY: false }, 0],
    ['NO_COLOR on a TTY', { isTTY: true, env: { NO_COLOR: '1' } }, 0],
    ['empty NO_COLOR is ignored', { isTTY: true, env: { NO_COLOR: '' } }, 1],
    ['NO_COLOR beats FORCE_COLOR', { isTTY: true, env: { NO_COLOR: '1', FORCE_COLOR: '1' } }, 0],
    ['FORCE_COLOR off a TTY', { isTTY: false, env: { FORCE_COLOR: '1' } }, 1],
    ['FORCE_COLOR=3', { isTTY: false, env: { FORCE_COLOR: '3' } }, 3],
    ['FORCE_COLOR=9 is capped', { isTTY: false, env: { FORCE_COLOR: '9' } }, 3],
    ['FORCE_COLOR empty means on', { isTTY: false, env: { FORCE_COLOR: '' } }, 1],
    ['FORCE_COLOR=true', { isTTY: false, env: { FORCE_COLOR: 'true' } }, 1],
    ['FORCE_COLOR=0 on a TTY', { isTTY: true, env: { FORCE_COLOR: '0' } }, 0],
    ['FORCE_COLOR=false on a TTY', { isTTY: true, env: { FORCE_COLOR: 'false' } }, 0],
    ['FORCE_COLOR beats TERM=dumb', { isTTY: false, env: { FORCE_COLOR: '1', TERM: 'dumb' } }, 1],
    ['TERM=dumb on a TTY', { isTTY: true, env: { TERM: 'dumb' } }, 0],
    ['--no-color on a TTY', { isTTY: true, colorFlag: false }, 0],
    ['--no-color beats FORCE_COLOR', { isTTY: true, colorFlag: false, env: { FORCE_COLOR: '3' } }, 0],
  ];
  it.each(cases)('%s', (_, inputs, expected) => {
    expect(colorLevel({ env: {}, isTTY: false, colorFlag: true, ...inputs })).toBe(expected);
  });
});

describe('canPrompt', () => {
  const cases: Array<[string, Partial<PromptInputs>, boolean]> = [
    ['stdin and stderr are TTYs', {}, true],
    ['stdin piped', { isStdinTTY: false }, false],
    ['stderr redirected', { isStderrTTY: false }, false],
    ['--no-input', { inputFlag: false }, false],
    ['CI=true', { env: { CI: 'true' } }, false],
    ['CI=1', { env: { CI: '1' } }, false],
    ['CI=0', { env: { CI: '0' } }, true],
    ['CI=false', { env: { CI: 'FALSE' } }, true],
    ['CI empty', { env: { CI: '' } }, true],
  ];
  it.each(cases)('%s', (_, inputs, expected) => {
    expect(canPrompt({ env: {}, isStdinTTY: true, isStderrTTY: true, inputFlag: true, ...inputs })).toBe(expected);
  });
});

describe('Context colour and prompts', () => {
  it('decides per stream and follows the global flags once applied', () => {
    const ctx = createTestContext({ stdinTTY: true, stdoutTTY: false, stderrTTY: true });
    expect(ctx.colorLevel('stdout')).toBe(0);
    expect(ctx.colorLevel('stderr')).toBe(1);
    expect(ctx.chalk.stdout.red('x')).toBe('x');
    expect(ctx.chalk.stderr.red('x')).toBe('\u001b[31mx\u001b[39m');
    expect(ctx.canPrompt()).toBe(true);

    ctx.applyGlobals({ color: false, input: false, verbose: false, quiet: false });
    expect(ctx.chalk.stderr.red('x')).toBe('x');
    expect(ctx.canPrompt()).toBe(false);
  });

  it('never reads the real environment', () => {
    const ctx = createTestContext();
    expect(ctx.env).toEqual({});
  });
});
