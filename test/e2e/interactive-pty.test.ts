// The interactive `cancel` in a real pseudo-terminal (tmux): the built bin reads real key presses,
// draws @inquirer prompts and the live progress bar on a real terminal, and leaves it as it found it.
// Everything else about prompting is tested with a scripted Prompter; only this file sees the keys.
//
// tmux is required: without it these tests fail (CI runs on the same image), they never skip.
import { mkdtempSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN } from '../helpers/bin.js';
import { counters, sandbox } from '../helpers/sandbox.js';
import { quietSeededStoreFile } from '../helpers/store-builder.js';
import { requireTmux, sh, TmuxSession } from '../helpers/tmux.js';

/**
 * 300 generated orders (about 220 open, 150 of them paid), a sandbox 20× faster than real time and
 * a small, slowly refilling bucket, so the cancels are throttled and the bar is up for a few seconds.
 */
async function setup() {
  // In each test rather than in a beforeAll, which vitest reports as tests skipped.
  await requireTmux();
  const sb = await sandbox({ fixturePath: quietSeededStoreFile(300, 3), timeScale: 20, bucketSize: 400, restoreRate: 25 });
  const dir = mkdtempSync(join(tmpdir(), 'bulkfill-pty-'));
  const files = { code: join(dir, 'code'), sttyBefore: join(dir, 'stty-before'), sttyAfter: join(dir, 'stty-after') };
  // The terminal settings before and after (raw mode left on would show as a difference), and the exit code.
  const command = [
    `stty -g > ${sh(files.sttyBefore)}`,
    [
      'env -u CI -u NO_COLOR -u FORCE_COLOR',
      'TERM=xterm-256color',
      `SHOPIFY_ACCESS_TOKEN=${sh(sb.token)}`,
      `BULKFILL_STATE_DIR=${sh(join(dir, 'state'))}`,
      sh(process.execPath),
      sh(BIN),
      'cancel --query status:open',
      `--store ${sh(sb.url)}`,
    ].join(' '),
    `echo $? > ${sh(files.code)}`,
    `stty -g > ${sh(files.sttyAfter)}`,
    // Keep the pane alive, so its state (e.g. the cursor's visibility) is still bulkfill's doing.
    'exec sleep 600',
  ].join('; ');
  const term = await TmuxSession.start(command, { width: 120, height: 40, home: dir });
  sessions.push(term);
  return { sb, term, files };
}

const sessions: TmuxSession[] = [];

afterEach(async () => {
  await Promise.all(sessions.splice(0).map((term) => term.kill()));
});

/** The exit code the command wrote, once it has. */
async function exitCodeOf(term: TmuxSession, path: string): Promise<number> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const text = await readFile(path, 'utf8').catch(() => '');
    if (text.endsWith('\n')) return Number(text.trim());
    if (Date.now() > deadline) throw new Error(`bulkfill did not exit within 20 s. The screen:\n${await term.capture()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function sttyUnchanged(files: { sttyBefore: string; sttyAfter: string }): Promise<void> {
  const before = await readFile(files.sttyBefore, 'utf8');
  expect(before.trim()).not.toBe('');
  expect(await readFile(files.sttyAfter, 'utf8')).toBe(before);
}

// A stack trace line, as Node prints them.
const STACK_LINE = /^\s+at .+(\.js|\.ts|node:)/m;

/** One full-width bar frame: label, cells, counts, and the hint that the keys are listened to. */
const BAR = /Cancelling [█░]{10,} (\d+)\/(\d+) done \d+ .*failed \d+ .*\(h to hide\)/;
/** The bar collapsed by `h`: "Cancelling 12/173 · 0 failed · ETA 3s". */
const COLLAPSED = /^Cancelling \d+\/\d+ · \d+ failed · ETA \S+/m;
/** The bar after the first Ctrl-C, while the run drains. */
const STOPPING = /Stopping [█░]{10,} \d+\/\d+ done \d+ .*\(Ctrl-C again to quit now\)/;
const RESULT = /✔ (\d+) cancelled, (\d+) skipped in [\d.]+s/;

/** Takes the defaults (customer, refund now, restock, no email) and goes ahead. */
async function answerEveryQuestion(term: TmuxSession): Promise<void> {
  await term.waitFor(/\? Why are these orders cancelled\?/, 'the reason prompt');
  await term.keys('Enter');
  await term.waitFor(/\? Refund the \d+ orders with captured payments/, 'the refund prompt');
  await term.keys('Enter');
  await term.waitFor(/\? Put the items back in stock\?/, 'the restock confirm');
  await term.keys('Enter');
  await term.waitFor(/\? Email the customers/, 'the notify confirm');
  await term.keys('Enter');
  await term.waitFor(/\? Cancel \d+ orders.*\? Cancelling cannot be undone\./, 'the go-ahead confirm');
  await term.keys('y', 'Enter');
}

describe('interactive cancel in a real terminal (tmux)', () => {
  it('asks reason, refund, restock and notify, shows the plan, confirms, draws the bar, collapses it with h, and exits 0', async () => {
    const { sb, term, files } = await setup();

    await term.waitFor(/\? Why are these orders cancelled\?/, 'the reason prompt');
    await term.waitFor(/❯ Customer changed or cancelled the order/, 'the reason choices');
    await term.keys('Down', 'Down');
    await term.waitFor(/❯ Fraudulent order/, 'the cursor on "Fraudulent order"');
    await term.keys('Enter');

    // Some selected orders are paid, so the refund question is asked, with the captured total.
    await term.waitFor(/\? Refund the \d+ orders with captured payments \(USD [\d,.]+\)\?/, 'the refund prompt');
    await term.keys('Down', 'Down');
    await term.waitFor(/❯ Don't refund now/, 'the cursor on "Don\'t refund now"');
    await term.keys('Enter');

    await term.waitFor(/\? Put the items back in stock\? \(Y\/n\)/, 'the restock confirm');
    await term.keys('y', 'Enter');
    await term.waitFor(/\? Email the customers that their orders were cancelled\? \(y\/N\)/, 'the notify confirm');
    await term.keys('n', 'Enter');

    // The answers stay on screen, then the plan, then the last question.
    const planScreen = await term.waitFor(/\? Cancel \d+ orders.*\? Cancelling cannot be undone\. \(y\/N\)/, 'the go-ahead confirm');
    expect(planScreen).toMatch(/✔ Why are these orders cancelled\? Fraudulent order/);
    expect(planScreen).toMatch(/✔ Refund the \d+ orders .*\? Don't refund now/);
    expect(planScreen).toMatch(/✔ Put the items back in stock\? Yes/);
    expect(planScreen).toMatch(/✔ Email the customers that their orders were cancelled\? No/);
    expect(planScreen).toMatch(/Plan: cancel/);
    const toCancel = Number(/To cancel\s+(\d+)/.exec(planScreen)?.[1]);
    expect(toCancel).toBeGreaterThan(100);
    // Nothing was sent before the go-ahead.
    expect((await counters(sb)).calls.orderCancel).toBeUndefined();
    // The selecting spinner was taken off the terminal before the first prompt.
    expect(planScreen).not.toMatch(/Selecting orders/);

    await term.keys('y', 'Enter');
    const barScreen = await term.waitFor(BAR, 'the progress bar');
    const [, completed, total] = BAR.exec(barScreen)!;
    expect(Number(total)).toBe(toCancel);
    expect(Number(completed)).toBeLessThan(toCancel);

    // `h` collapses the bar to one line, in place.
    await term.keys('h');
    await term.waitFor((screen) => COLLAPSED.test(screen) || RESULT.test(screen), 'the collapsed line (or the end of the run)');

    const last = await term.waitFor(RESULT, 'the result line');
    expect(await exitCodeOf(term, files.code)).toBe(0);
    const [, cancelled] = RESULT.exec(last)!;
    expect(Number(cancelled)).toBe(toCancel);
    // The run did not end before `h` was handled: the collapsed line was on screen at some point.
    expect(
      term.frames.some((frame) => COLLAPSED.test(frame)),
      term.frames.at(-1),
    ).toBe(true);
    expect(last).not.toMatch(STACK_LINE);

    // The terminal is left as it was: cooked mode (no raw mode left on), and the cursor visible.
    await sttyUnchanged(files);
    expect(await term.display('#{cursor_flag}')).toBe('1');

    // Each order cancelled exactly once, none refunded (refund later), nobody emailed.
    const seen = await counters(sb);
    const applied = seen.applied.orderCancel ?? {};
    expect(Object.keys(applied)).toHaveLength(toCancel);
    expect(Object.values(applied).every((n) => n === 1)).toBe(true);
    expect(Object.values(seen.calls.orderCancel ?? {}).every((n) => n === 1)).toBe(true);
    expect(seen.refunds).toEqual({});
    expect(seen.notifications).toEqual({});
  }, 45_000);

  it('Ctrl-C during the run says "Stopping" at once; a second one quits at once, leaving the terminal usable', async () => {
    const { sb, term, files } = await setup();
    await answerEveryQuestion(term);
    await term.waitFor(BAR, 'the progress bar');

    // Raw mode is on while the bar listens for `h`, so Ctrl-C arrives as a key, not as a signal.
    await term.keys('C-c');
    const stopping = await term.waitFor(STOPPING, 'the bar saying "Stopping"', { timeoutMs: 3_000, pollMs: 50 });
    expect(stopping).not.toMatch(/\(h to hide\)/);
    // The cursor the bar hid is back already: the second Ctrl-C will not give the bar a chance.
    expect(await term.display('#{cursor_flag}')).toBe('1');

    const secondAt = Date.now();
    await term.keys('C-c');
    expect(await exitCodeOf(term, files.code)).toBe(130);
    expect(Date.now() - secondAt).toBeLessThan(5_000);
    expect(await term.capture()).not.toMatch(STACK_LINE);
    await sttyUnchanged(files);
    expect(await term.display('#{cursor_flag}')).toBe('1');
    // Forced or not, no order was cancelled twice.
    const applied = (await counters(sb)).applied.orderCancel ?? {};
    expect(Object.values(applied).every((n) => n === 1)).toBe(true);
  }, 45_000);

  it('Ctrl-C at the first prompt exits 130 without a stack trace and sends nothing', async () => {
    const { sb, term, files } = await setup();
    await term.waitFor(/\? Why are these orders cancelled\?/, 'the reason prompt');
    await term.keys('C-c');
    expect(await exitCodeOf(term, files.code)).toBe(130);
    const screen = await term.capture();
    expect(screen).not.toMatch(STACK_LINE);
    expect(screen).not.toMatch(/Error/);
    expect(screen).toMatch(/^Interrupted\.$/m);
    await sttyUnchanged(files);
    expect(await term.display('#{cursor_flag}')).toBe('1');
    const seen = await counters(sb);
    expect(seen.calls.orderCancel).toBeUndefined();
    expect(seen.applied).toEqual({});
  }, 45_000);
});
