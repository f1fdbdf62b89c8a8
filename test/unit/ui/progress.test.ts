import { afterEach, describe, expect, it, vi } from 'vitest';

import { DEFAULT_GLOBAL_OPTIONS } from '../../../src/context.js';
import type { RunEvent } from '../../../src/run/events.js';
import { formatEta } from '../../../src/ui/format.js';
import { createProgress } from '../../../src/ui/progress.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';

const gid = (n: number) => `gid://shopify/Order/${n}`;
const planned = (n: number, decision: 'act' | 'already' | 'skipped' | 'failed' = 'act'): RunEvent => ({
  type: 'planned',
  order: gid(n),
  name: `#${n}`,
  decision,
  reason: decision === 'skipped' ? 'partially-refunded' : null,
});
const outcome = (n: number, result: 'done' | 'failed' | 'unknown' | 'already' = 'done'): RunEvent => ({
  type: 'outcome',
  order: gid(n),
  name: `#${n}`,
  outcome: result,
  reason: result === 'failed' ? 'user-error' : null,
  message: null,
});

/** Records every stderr write with the fake time it happened at. */
function recordWrites(ctx: TestContext): { at: number; text: string }[] {
  const writes: { at: number; text: string }[] = [];
  ctx.stderr.on('data', (chunk: Buffer) => writes.push({ at: ctx.now(), text: chunk.toString() }));
  return writes;
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The text frames drawn: cursor moves (cli-progress draws each frame at column 1) split frames, styles are dropped. */
function framesOf(text: string): string[] {
  return text

    .replace(/\x1b\[1G|\r/g, '\n')

    .replace(/\x1b\[[0-9;?]*[A-Za-z]|\x1b[78]/g, '')
    .split('\n')
    .filter((frame) => frame.trim() !== '');
}

afterEach(() => {
  vi.useRealTimers();
});

describe('progress off a terminal', () => {
  it('prints a plain line at most every 5 seconds of the clock, and nothing animated', async () => {
    const ctx = createTestContext({ stderrTTY: false });
    const writes = recordWrites(ctx);
    const progress = createProgress(ctx, { label: 'Cancelling' });

    progress.onEvent({ type: 'phase', phase: 'connecting' });
    progress.onEvent({ type: 'phase', phase: 'selecting' });
    for (let i = 1; i <= 300; i++) {
      progress.onEvent(planned(i, i % 100 === 0 ? 'skipped' : 'act'));
      if (i % 10 === 0) await ctx.clock.advance(300); // 9 s of planning in all
    }
    progress.onEvent({ type: 'phase', phase: 'executing' });
    progress.setBucket({ available: 1840, maximumAvailable: 2000 });
    let n = 0;
    for (let second = 0; second < 23; second++) {
      for (let k = 0; k < 10; k++) progress.onEvent(outcome(++n, n % 50 === 0 ? 'failed' : 'done'));
      await ctx.clock.advance(1000);
    }
    progress.onEvent({ type: 'phase', phase: 'finished' });
    progress.stop();
    await tick();

    const lines = writes.flatMap((w) =>
      w.text
        .split('\n')
        .filter(Boolean)
        .map((line) => ({ at: w.at, line })),
    );
    expect(lines.length).toBeGreaterThanOrEqual(4);
    // 9 s of planning + 23 s of work: at most one line per 5 s.
    expect(lines.length).toBeLessThanOrEqual(Math.floor((9_000 + 23_000) / 5000));
    for (let i = 1; i < lines.length; i++) expect(lines[i]!.at - lines[i - 1]!.at).toBeGreaterThanOrEqual(5000);
    expect(lines[0]!.line).toMatch(/^\[bulkfill\] Selecting orders\.\.\. \d+$/);
    const progressLine = lines.find((l) => l.line.includes('Cancelling'))!.line;
    expect(progressLine).toMatch(/^\[bulkfill\] Cancelling \d+\/297 done \d+ skipped 3 failed \d+ [\d.]+\/s ETA \S+ bucket 1840\/2000$/);
    expect(ctx.stderrText()).not.toContain('\x1b');
    expect(ctx.stderrText()).not.toContain('\r');
    expect(ctx.stdoutText()).toBe('');
  });

  it('prints nothing when nothing happens, however long it takes', async () => {
    const ctx = createTestContext({ stderrTTY: false });
    const progress = createProgress(ctx, { label: 'Cancelling' });
    progress.onEvent({ type: 'phase', phase: 'executing' });
    await ctx.clock.advance(60_000);
    progress.stop();
    await tick();
    expect(ctx.stderrText()).toBe('');
  });
});

describe('progress with --quiet', () => {
  it('prints nothing, on a terminal or not', async () => {
    for (const stderrTTY of [true, false]) {
      const ctx = createTestContext({ stderrTTY });
      ctx.applyGlobals({ ...DEFAULT_GLOBAL_OPTIONS, quiet: true });
      const progress = createProgress(ctx, { label: 'Cancelling' });
      progress.onEvent({ type: 'phase', phase: 'selecting' });
      progress.onEvent(planned(1));
      progress.onEvent({ type: 'phase', phase: 'executing' });
      progress.setTotal(1);
      progress.setBucket({ available: 1, maximumAvailable: 2 });
      await ctx.clock.advance(30_000);
      progress.onEvent(outcome(1));
      progress.stop();
      await tick();
      expect(ctx.stderrText()).toBe('');
      expect(ctx.stdoutText()).toBe('');
    }
  });
});

describe('progress on a terminal', () => {
  it('shows the selecting line, then one bar on stderr only, and leaves no timer running', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    const ctx = createTestContext({ stderrTTY: true, columns: 140 });
    const progress = createProgress(ctx, { label: 'Cancelling' });

    progress.onEvent({ type: 'phase', phase: 'selecting' });
    for (let i = 1; i <= 40; i++) progress.onEvent(planned(i, i === 40 ? 'already' : 'act'));
    vi.advanceTimersByTime(200); // the spinner redraws the selecting line
    await tick();
    expect(framesOf(ctx.stderrText()).at(-1)).toMatch(/^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] Selecting orders… 40$/);

    progress.pause(); // the plan and the confirmation are printed here
    await tick();
    expect(ctx.stderrText().endsWith('\r\x1b[K')).toBe(true);
    progress.setBucket({ available: 1000, maximumAvailable: 2000 }); // paused: not drawn
    vi.advanceTimersByTime(500);
    await tick();
    expect(ctx.stderrText().endsWith('\r\x1b[K')).toBe(true);
    const beforeBar = ctx.stderrText().length;

    progress.onEvent({ type: 'phase', phase: 'executing' });
    progress.setBucket({ available: 1840, maximumAvailable: 2000 });
    for (let i = 1; i <= 20; i++) {
      progress.onEvent(outcome(i, i === 7 ? 'failed' : 'done'));
      await ctx.clock.advance(100);
      vi.advanceTimersByTime(130);
    }
    progress.stop();
    await tick();
    expect(vi.getTimerCount()).toBe(0);

    const bar = ctx.stderrText().slice(beforeBar);
    expect(bar).toContain('\x1b[?25l'); // cursor hidden while the bar runs
    expect(bar).toContain('\x1b[?25h'); // and shown again
    expect(bar).not.toContain('Selecting');
    const frames = framesOf(bar);
    expect(frames.length).toBeGreaterThan(1);
    expect(frames.at(-1)).toMatch(/^Cancelling [█░]+ 20\/39 done 19 already 1 failed 1 [\d.]+\/s ETA \S+ bucket 1840\/2000$/);
    for (const frame of frames) expect(frame.length).toBeLessThan(140);
    expect(ctx.stdoutText()).toBe('');

    // After stop, nothing more is written.
    const length = ctx.stderrText().length;
    progress.onEvent(outcome(21));
    progress.onEvent({ type: 'phase', phase: 'executing' });
    await tick();
    expect(ctx.stderrText().length).toBe(length);
  });

  it('fits a narrow terminal by dropping the least important parts', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const ctx = createTestContext({ stderrTTY: true, columns: 60 });
    const progress = createProgress(ctx, { label: 'Cancelling' });
    progress.onEvent({ type: 'phase', phase: 'executing' });
    progress.setTotal(1000);
    progress.setBucket({ available: 1840, maximumAvailable: 2000 });
    progress.onEvent(outcome(1));
    progress.stop();
    await tick();
    const frames = framesOf(ctx.stderrText());
    for (const frame of frames) expect(frame.length).toBeLessThanOrEqual(59);
    expect(frames.at(-1)).toContain('1/1,000');
    expect(frames.at(-1)).not.toContain('bucket');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('uses no colour when colour is off, but still draws in place', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const ctx = createTestContext({ stderrTTY: true, env: { NO_COLOR: '1' } });
    const progress = createProgress(ctx, { label: 'Cancelling' });
    progress.onEvent({ type: 'phase', phase: 'executing' });
    progress.setTotal(2);
    progress.onEvent(outcome(1));
    progress.stop();
    await tick();

    expect(ctx.stderrText()).not.toMatch(/\x1b\[[0-9;]*m/);
    expect(ctx.stderrText()).toContain('1/2');
  });

  it('falls back to plain lines on TERM=dumb', async () => {
    const ctx = createTestContext({ stderrTTY: true, env: { TERM: 'dumb' } });
    const progress = createProgress(ctx, { label: 'Cancelling' });
    progress.onEvent({ type: 'phase', phase: 'executing' });
    progress.setTotal(2);
    await ctx.clock.advance(6000);
    progress.onEvent(outcome(1));
    progress.stop();
    await tick();
    expect(ctx.stderrText()).toMatch(/^\[bulkfill\] Cancelling 1\/2 done 1 failed 0 /);
    expect(ctx.stderrText()).not.toContain('\x1b');
  });
});

describe('formatEta', () => {
  it('formats', () => {
    expect([null, 0, 21_000, 83_000, 7_380_000].map(formatEta)).toEqual(['--', '0s', '21s', '1m 23s', '2h 03m']);
  });
});
