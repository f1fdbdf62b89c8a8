import { describe, expect, it } from 'vitest';

import { InterruptedError } from '../../../src/errors.js';
import { createTestContext, TEST_EPOCH } from '../../helpers/context.js';

describe('test context', () => {
  it('collects stdout and stderr separately and mirrors TTY flags on the streams', () => {
    const ctx = createTestContext({ stdoutTTY: true });
    ctx.stdout.write('data\n');
    ctx.stderr.write('talk\n');
    expect(ctx.stdoutText()).toBe('data\n');
    expect(ctx.stderrText()).toBe('talk\n');
    expect((ctx.stdout as { isTTY?: boolean }).isTTY).toBe(true);
    expect(ctx.isStderrTTY).toBe(false);
  });

  it('moves the clock only when advanced, resolving sleeps in deadline order', async () => {
    const ctx = createTestContext();
    const woke: string[] = [];
    void ctx.sleep(2_000).then(() => woke.push(`b@${ctx.now() - TEST_EPOCH}`));
    void ctx.sleep(1_000).then(async () => {
      woke.push(`a@${ctx.now() - TEST_EPOCH}`);
      await ctx.sleep(500);
      woke.push(`c@${ctx.now() - TEST_EPOCH}`);
    });
    await ctx.clock.advance(999);
    expect(woke).toEqual([]);
    await ctx.clock.advance(1_001);
    expect(woke).toEqual(['a@1000', 'c@1500', 'b@2000']);
    expect(ctx.now() - TEST_EPOCH).toBe(2_000);
    expect(ctx.clock.pending).toBe(0);
  });

  it('fires fake interrupts: the first aborts the signal, listeners hear every one', async () => {
    const ctx = createTestContext();
    const heard: string[] = [];
    const unsubscribe = ctx.interrupts.onInterrupt((kind, count) => heard.push(`${kind}#${count}`));
    const sleeping = ctx.sleep(10_000, ctx.interrupts.signal);

    ctx.interrupt('SIGTERM');
    await expect(sleeping).rejects.toMatchObject({ name: 'AbortError', cause: expect.any(InterruptedError) });
    expect(ctx.interrupts.signal.aborted).toBe(true);
    expect(ctx.interrupts.kind).toBe('SIGTERM');

    ctx.interrupt('SIGINT');
    unsubscribe();
    ctx.interrupt('SIGINT');
    expect(heard).toEqual(['SIGTERM#1', 'SIGINT#2']);
    expect(ctx.interrupts.count).toBe(3);
    expect(ctx.interrupts.kind).toBe('SIGTERM');
    expect(ctx.clock.pending).toBe(0);
  });
});
