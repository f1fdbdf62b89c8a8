// The progress display's key presses (h / space collapses the bar), the bucket event, the selecting
// spinner and --verbose off a terminal. Time is fake throughout: vi's timers drive cli-progress and the
// spinner, the test clock drives the rate and the plain-line interval.
import { afterEach, describe, expect, it, vi } from 'vitest';

import { DEFAULT_GLOBAL_OPTIONS } from '../../../src/context.js';
import type { RunEvent } from '../../../src/run/events.js';
import { createProgress, type ProgressOptions } from '../../../src/ui/progress.js';
import { createTestContext, type TestContextOptions } from '../../helpers/context.js';
import { createFakeKeys } from '../../helpers/prompter.js';

const gid = (n: number) => `gid://shopify/Order/${n}`;
const planned = (n: number): RunEvent => ({ type: 'planned', order: gid(n), name: `#${n}`, decision: 'act', reason: null });
const outcome = (n: number, result: 'done' | 'failed' | 'unknown' = 'done', message: string | null = null): RunEvent => ({
  type: 'outcome',
  order: gid(n),
  name: `#${n}`,
  outcome: result,
  reason: result === 'failed' ? 'user-error' : null,
  message,
});
const executing: RunEvent = { type: 'phase', phase: 'executing' };

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The text frames drawn: cursor moves split frames, styles are dropped. */
function framesOf(text: string): string[] {
  return text

    .replace(/\x1b\[1G|\r/g, '\n')

    .replace(/\x1b\[[0-9;?]*[A-Za-z]|\x1b[78]/g, '')
    .split('\n')
    .filter((frame) => frame.trim() !== '');
}

/** A terminal with keys, and a progress display already showing its bar for a run of 10 orders. */
function barWithKeys(contextOptions: TestContextOptions = {}, progressOptions: Partial<ProgressOptions> = {}) {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  const fake = createFakeKeys();
  const ctx = createTestContext({ stdinTTY: true, stderrTTY: true, columns: 140, keys: fake.keys, ...contextOptions });
  const progress = createProgress(ctx, { label: 'Cancelling', ...progressOptions });
  const lastFrame = async () => {
    vi.advanceTimersByTime(200);
    await tick();
    return framesOf(ctx.stderrText()).at(-1);
  };
  return { fake, ctx, progress, lastFrame };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('collapsing the bar with a key', () => {
  it('toggles between the full bar and one summary line on h or space', async () => {
    const { fake, ctx, progress, lastFrame } = barWithKeys();
    progress.onEvent({ type: 'phase', phase: 'selecting' });
    for (let i = 1; i <= 10; i++) progress.onEvent(planned(i));
    expect(fake.listening).toBe(0); // not while selecting: only the bar listens
    progress.pause(); // the plan and the confirmation prompt
    expect(fake.listening).toBe(0);

    progress.onEvent(executing);
    expect(fake.listening).toBe(1);
    for (let i = 1; i <= 5; i++) progress.onEvent(outcome(i, i === 3 ? 'failed' : 'done'));
    expect(await lastFrame()).toMatch(/^Cancelling [█░]+ 5\/10 done 4 failed 1 \S+\/s ETA \S+ \(h to hide\)$/);

    fake.press('h');
    await tick();
    // Drawn at once, without waiting for the next frame.
    expect(framesOf(ctx.stderrText()).at(-1)).toMatch(/^Cancelling 5\/10 · 1 failed · ETA \S+$/);
    progress.onEvent(outcome(6));
    progress.onEvent(outcome(7, 'unknown'));
    expect(await lastFrame()).toMatch(/^Cancelling 7\/10 · 1 failed · 1 unknown · ETA \S+$/);

    fake.press('x'); // other keys do nothing
    expect(await lastFrame()).toMatch(/^Cancelling 7\/10 · /);

    fake.press(' ');
    expect(await lastFrame()).toMatch(/^Cancelling [█░]+ 7\/10 done 5 failed 1 unknown 1 .* \(h to hide\)$/);
    fake.press('H');
    expect(await lastFrame()).toMatch(/^Cancelling 7\/10 · 1 failed · 1 unknown · ETA \S+$/);

    progress.stop();
    await tick();
    expect(fake.listening).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    expect(ctx.stdoutText()).toBe('');
  });

  it('gives stdin back on pause, listens again when the bar comes back, and stays collapsed', async () => {
    const { fake, ctx, progress, lastFrame } = barWithKeys();
    progress.onEvent(executing);
    progress.setTotal(10);
    progress.onEvent(outcome(1));
    expect(fake.listening).toBe(1);
    fake.press('h');

    progress.pause(); // e.g. an interrupt notice, or a prompt that reads stdin
    expect(fake.listening).toBe(0);
    await tick();
    const length = ctx.stderrText().length;
    fake.press('h'); // nobody is listening: nothing happens
    vi.advanceTimersByTime(1000);
    await tick();
    expect(ctx.stderrText().length).toBe(length);

    // Events while paused draw nothing and do not start listening.
    progress.onEvent(outcome(2));
    expect(fake.listening).toBe(0);
    expect(ctx.stderrText().length).toBe(length);

    progress.onEvent(executing); // the next phase brings the bar back
    expect(fake.listening).toBe(1);
    expect(await lastFrame()).toMatch(/^Cancelling 2\/10 · 0 failed · ETA \S+$/);

    progress.stop();
    expect(fake.listening).toBe(0);
    progress.onEvent(executing); // after stop, never again
    expect(fake.listening).toBe(0);
  });

  it('never listens without a terminal on both ends, with keys: false (--csv -), --quiet or TERM=dumb', async () => {
    const setups: Array<[string, TestContextOptions, Partial<ProgressOptions>, boolean?]> = [
      ['stderr not a terminal', { stderrTTY: false }, {}],
      ['stdin is the input', {}, { keys: false }],
      ['TERM=dumb', { env: { TERM: 'dumb' } }, {}],
      ['--quiet', {}, {}, true],
    ];
    for (const [what, contextOptions, progressOptions, quiet] of setups) {
      const { fake, ctx, progress } = barWithKeys(contextOptions, progressOptions);
      if (quiet) ctx.applyGlobals({ ...DEFAULT_GLOBAL_OPTIONS, quiet: true });
      const display = quiet ? createProgress(ctx, { label: 'Cancelling', ...progressOptions }) : progress;
      display.onEvent(executing);
      display.setTotal(2);
      display.onEvent(outcome(1));
      vi.advanceTimersByTime(200);
      expect(fake.listening, what).toBe(0);
      display.stop();
      await tick();
      expect(ctx.stderrText(), what).not.toContain('h to hide');
      vi.useRealTimers();
    }
  });

  it('runs without keys at all (stdin not a terminal): no hint, nothing to listen to', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const ctx = createTestContext({ stderrTTY: true, columns: 140 });
    expect(ctx.keys).toBeNull();
    const progress = createProgress(ctx, { label: 'Cancelling' });
    progress.onEvent(executing);
    progress.setTotal(2);
    progress.onEvent(outcome(1));
    progress.stop();
    await tick();
    expect(framesOf(ctx.stderrText()).at(-1)).toMatch(/^Cancelling [█░]+ 1\/2 done 1 failed 0 \S+\/s ETA \S+$/);
  });

  it('drops the hint first when the terminal is narrow', async () => {
    const { progress, lastFrame } = barWithKeys({ columns: 81 });
    progress.onEvent(executing);
    progress.setTotal(1000);
    progress.onEvent({ type: 'bucket', available: 1840, maximumAvailable: 2000 });
    progress.onEvent(outcome(1));
    const frame = await lastFrame();
    expect(frame).toContain('bucket 1840/2000');
    expect(frame).not.toContain('h to hide');
    expect(frame!.length).toBeLessThanOrEqual(80);
    progress.stop();
  });
});

describe('the bucket event', () => {
  it('shows the bucket level on the bar', async () => {
    const { progress, lastFrame } = barWithKeys({ keys: undefined });
    progress.onEvent(executing);
    progress.setTotal(4);
    progress.onEvent({ type: 'bucket', available: 1523.7, maximumAvailable: 2000 });
    progress.onEvent(outcome(1));
    expect(await lastFrame()).toMatch(/ bucket 1523\/2000$/);
    progress.stop();
  });

  it('off a terminal, is printed with the next line but is no reason for a line of its own', async () => {
    const ctx = createTestContext({ stderrTTY: false });
    const progress = createProgress(ctx, { label: 'Cancelling' });
    progress.onEvent(executing);
    progress.setTotal(4);
    await ctx.clock.advance(5000);
    progress.onEvent(outcome(1));
    const first = ctx.stderrText();
    expect(first).toMatch(/^\[bulkfill\] Cancelling 1\/4 done 1 failed 0 \S+\/s ETA \S+\n$/);
    for (let second = 0; second < 20; second++) {
      progress.onEvent({ type: 'bucket', available: 1000 + second, maximumAvailable: 2000 });
      await ctx.clock.advance(1000);
    }
    expect(ctx.stderrText()).toBe(first);
    progress.onEvent(outcome(2));
    expect(ctx.stderrText().slice(first.length)).toMatch(/^\[bulkfill\] Cancelling 2\/4 done 2 failed 0 \S+\/s ETA \S+ bucket 1019\/2000\n$/);
    progress.stop();
  });
});

describe('the selecting spinner', () => {
  it('moves on its own while orders are selected, and stops with its line on pause', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    const ctx = createTestContext({ stderrTTY: true });
    const progress = createProgress(ctx, { label: 'Cancelling' });
    progress.onEvent({ type: 'phase', phase: 'selecting' });
    progress.onEvent(planned(1));
    progress.onEvent(planned(2));
    // No events for a while (a slow bulk export): the spinner still turns.
    vi.advanceTimersByTime(400);
    await tick();
    const frames = framesOf(ctx.stderrText());
    expect(frames.length).toBeGreaterThanOrEqual(4);
    expect(new Set(frames.map((f) => f[0])).size).toBeGreaterThanOrEqual(4);
    expect(frames.at(-1)).toMatch(/^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] Selecting orders… 2$/);

    progress.pause();
    await tick();
    expect(vi.getTimerCount()).toBe(0);
    expect(ctx.stderrText().endsWith('\r\x1b[K')).toBe(true);
    progress.stop();
  });

  it('is cleared by stop, leaving no timer', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    const ctx = createTestContext({ stderrTTY: true });
    const progress = createProgress(ctx, { label: 'Cancelling' });
    progress.onEvent({ type: 'phase', phase: 'selecting' });
    vi.advanceTimersByTime(100);
    progress.stop(); // e.g. the selection failed
    await tick();
    expect(vi.getTimerCount()).toBe(0);
    expect(ctx.stderrText().endsWith('\r\x1b[K')).toBe(true);
  });
});

describe('--verbose', () => {
  it('off a terminal, prints each order that fails or ends unknown as it happens', async () => {
    const ctx = createTestContext({ stderrTTY: false });
    ctx.applyGlobals({ ...DEFAULT_GLOBAL_OPTIONS, verbose: true });
    const progress = createProgress(ctx, { label: 'Cancelling' });
    progress.onEvent(executing);
    progress.setTotal(3);
    progress.onEvent(outcome(1));
    progress.onEvent(outcome(2, 'failed', 'Order is already\n  closed'));
    progress.onEvent(outcome(3, 'unknown'));
    progress.stop();
    expect(ctx.stderrText()).toBe(['[bulkfill] #2 failed (user-error): Order is already closed', '[bulkfill] #3 unknown', ''].join('\n'));
  });

  it('prints no order lines without --verbose, nor on a terminal', async () => {
    const plain = createTestContext({ stderrTTY: false });
    const plainProgress = createProgress(plain, { label: 'Cancelling' });
    plainProgress.onEvent(executing);
    plainProgress.onEvent(outcome(1, 'failed', 'boom'));
    plainProgress.stop();
    expect(plain.stderrText()).toBe('');

    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const terminal = createTestContext({ stderrTTY: true });
    terminal.applyGlobals({ ...DEFAULT_GLOBAL_OPTIONS, verbose: true });
    const barProgress = createProgress(terminal, { label: 'Cancelling' });
    barProgress.onEvent(executing);
    barProgress.setTotal(1);
    barProgress.onEvent(outcome(1, 'failed', 'boom'));
    barProgress.stop();
    await tick();
    expect(terminal.stderrText()).not.toContain('boom');
  });
});
