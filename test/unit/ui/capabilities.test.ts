// The colour decision, cases not covered by test/unit/cli/capabilities.test.ts: every FORCE_COLOR
// level, odd values, and the decision as the progress display and the result see it (ctx.chalk.stderr).
import { describe, expect, it } from 'vitest';

import { DEFAULT_GLOBAL_OPTIONS } from '../../../src/context.js';
import { colorLevel, type ColorInputs } from '../../../src/capabilities.js';
import { createTestContext } from '../../helpers/context.js';

describe('colorLevel, more cases', () => {
  const cases: Array<[string, Partial<ColorInputs>, number]> = [
    ['FORCE_COLOR=0 off a TTY', { isTTY: false, env: { FORCE_COLOR: '0' } }, 0],
    ['FORCE_COLOR=1', { isTTY: false, env: { FORCE_COLOR: '1' } }, 1],
    ['FORCE_COLOR=2', { isTTY: false, env: { FORCE_COLOR: '2' } }, 2],
    ['FORCE_COLOR=2 on a TTY raises the level', { isTTY: true, env: { FORCE_COLOR: '2' } }, 2],
    ['FORCE_COLOR=3 on a TTY', { isTTY: true, env: { FORCE_COLOR: '3' } }, 3],
    ['FORCE_COLOR=-1 is off', { isTTY: true, env: { FORCE_COLOR: '-1' } }, 0],
    ['FORCE_COLOR=yes means on', { isTTY: false, env: { FORCE_COLOR: 'yes' } }, 1],
    ['NO_COLOR=0 still means no colour (any non-empty value)', { isTTY: true, env: { NO_COLOR: '0' } }, 0],
    ['NO_COLOR beats FORCE_COLOR=3', { isTTY: true, env: { NO_COLOR: 'x', FORCE_COLOR: '3' } }, 0],
    ['FORCE_COLOR beats TERM=dumb on a TTY', { isTTY: true, env: { FORCE_COLOR: '2', TERM: 'dumb' } }, 2],
    ['TERM=dumb off a TTY', { isTTY: false, env: { TERM: 'dumb' } }, 0],
    ['another TERM on a TTY', { isTTY: true, env: { TERM: 'xterm-256color' } }, 1],
    ['--no-color beats FORCE_COLOR=1 off a TTY', { isTTY: false, colorFlag: false, env: { FORCE_COLOR: '1' } }, 0],
  ];
  it.each(cases)('%s', (_, inputs, expected) => {
    expect(colorLevel({ env: {}, isTTY: false, colorFlag: true, ...inputs })).toBe(expected);
  });
});

describe('ctx.chalk.stderr, as the progress bar and the result use it', () => {
  const red = (ctx: ReturnType<typeof createTestContext>) => ctx.chalk.stderr.red('x') !== 'x';

  it('is coloured on a terminal and plain when piped', () => {
    expect(red(createTestContext({ stderrTTY: true }))).toBe(true);
    expect(red(createTestContext({ stderrTTY: false }))).toBe(false);
  });

  it('honours NO_COLOR, TERM=dumb, FORCE_COLOR and --no-color', () => {
    expect(red(createTestContext({ stderrTTY: true, env: { NO_COLOR: '1' } }))).toBe(false);
    expect(red(createTestContext({ stderrTTY: true, env: { TERM: 'dumb' } }))).toBe(false);
    expect(red(createTestContext({ stderrTTY: false, env: { FORCE_COLOR: '1' } }))).toBe(true);
    expect(red(createTestContext({ stderrTTY: true, env: { FORCE_COLOR: '0' } }))).toBe(false);
    const ctx = createTestContext({ stderrTTY: true, env: { FORCE_COLOR: '3' } });
    expect(ctx.colorLevel('stderr')).toBe(3);
    ctx.applyGlobals({ ...DEFAULT_GLOBAL_OPTIONS, color: false });
    expect(ctx.colorLevel('stderr')).toBe(0);
    expect(red(ctx)).toBe(false);
  });
});
