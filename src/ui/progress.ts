// The live progress display of a run, on stderr only (docs/shopify-behaviour.md#output-conventions, #progress-display):
//
//   - stderr is a terminal (and not --quiet): while orders are being selected and planned, one
//     "⠋ Selecting orders… N" ora spinner redrawn in place; then ONE cli-progress SingleBar with the
//     counts, the rate, the ETA and the rate-limit bucket. Never both at once: while it spins, ora hooks
//     writes to the process's stdout and stderr, so it is stopped before anything else draws. It never
//     touches stdin (discardStdin: false) and installs no signal handler (we hide the cursor ourselves,
//     as the bar does, rather than through its hideCursor, which hooks exit signals).
//     While the bar is up and stdin is a terminal, `h` (or space) collapses it to one short summary
//     line and back (the admin's "hide panel"). Keys are read in raw mode, so listening stops whenever
//     the bar is paused (a plan or a prompt needs stdin) or stopped. The first Ctrl-C turns its
//     label into "Stopping" at once, with a "Ctrl-C again to quit now" hint, while the run drains.
//   - stderr is not a terminal (cron, CI, a log file) or TERM=dumb: no animation, no escape codes —
//     a plain line at most every 5 seconds, only when something happened; with --verbose, also one
//     line per order that fails or ends unknown, as it happens.
//   - --quiet: nothing.
//
// Counts and rates come from the run's events and the injected clock (ctx.now()); cli-progress only
// draws. Its redraw timer is unref'd (and cleared by stop()); we never give it gracefulExit (which
// would take SIGINT from our own handler, cli-progress #126).

import cliProgress from 'cli-progress';
import { clearLine, cursorTo, moveCursor, type Direction } from 'node:readline';
import { Writable } from 'node:stream';
import ora, { spinners, type Ora } from 'ora';

import type { KeyInput, ProgressContext } from '../context.js';
import type { RunEvent } from '../run/events.js';
import { formatCount, formatEta } from './format.js';
import { safeForTerminal } from './terminal-text.js';

export interface ProgressOptions {
  /** What the run is doing, e.g. "Cancelling". */
  label: string;
  /** Off a terminal: the shortest time between two lines (default 5000 ms). */
  plainIntervalMs?: number;
  /**
   * Listen for key presses (h / space collapses the bar) when the context has a terminal's keys.
   * Pass false when stdin is the run's input (`--csv -`). Default true.
   */
  keys?: boolean;
}

export interface Progress {
  onEvent(event: RunEvent): void;
  /** How many orders the run will act on (the bar's 100 %); by default, the orders the plan said to act on. */
  setTotal(n: number): void;
  setBucket(stats: { available: number; maximumAvailable: number }): void;
  /**
   * Takes the live line off the terminal so something else can write to stderr (the plan, a
   * confirmation prompt, an interrupt notice); nothing is drawn again until the next phase event.
   */
  pause(): void;
  /** Final: draws the bar one last time and leaves it; clears any timer. Later calls and events do nothing. */
  stop(): void;
}

interface Counts {
  done: number;
  already: number;
  skipped: number;
  failed: number;
  unknown: number;
}

const FPS = 8;
/** Keys that collapse the bar to one line, and bring it back. */
const TOGGLE_KEYS: ReadonlySet<string> = new Set(['h', 'H', ' ']);
const SHOW_CURSOR = '\x1b[?25h';
const HIDE_CURSOR = '\x1b[?25l';
const RATE_WINDOW_MS = 10_000;
const SAMPLE_EVERY_MS = 250;
/** Below this much run time the rate is too noisy to show. */
const RATE_WARMUP_MS = 1500;

export function createProgress(ctx: ProgressContext, options: ProgressOptions): Progress {
  if (ctx.globals.quiet) return { onEvent() {}, setTotal() {}, setBucket() {}, pause() {}, stop() {} };
  const live = ctx.isStderrTTY && ctx.env.TERM !== 'dumb';
  return new ProgressDisplay(ctx, options, live);
}

class ProgressDisplay implements Progress {
  private readonly counts: Counts = { done: 0, already: 0, skipped: 0, failed: 0, unknown: 0 };
  private phase: Extract<RunEvent, { type: 'phase' }>['phase'] | null = null;
  private stopped = false;
  /** Orders decided by the plan so far, and how many of them to act on. */
  private selected = 0;
  private toAct = 0;
  private explicitTotal: number | null = null;
  /** Orders acted on: settled, or accepted by Shopify and awaiting confirmation (the bar's value). */
  private completed = 0;
  /** Orders counted in `completed` when Shopify accepted them, whose outcome has not come yet. */
  private readonly awaitingConfirmation = new Set<string>();
  private bucket: { available: number; maximumAvailable: number } | null = null;
  private executingSince: number | null = null;
  private readonly samples: { at: number; completed: number }[] = [];

  // Terminal state.
  private bar: UnrefSingleBar | null = null;
  private spinner: Ora | null = null;
  private paused = false;
  /** Key presses, when the bar may listen for them; the function that stops listening, while it does. */
  private readonly keys: KeyInput | null;
  private unlisten: (() => void) | null = null;
  /** The bar shown as one short summary line (toggled by `h`); kept across pauses. */
  private collapsed = false;
  /** Set by the first interrupt while the run drains: the bar says "Stopping" from then on. */
  private stopping = false;
  private readonly unsubscribeInterrupts: (() => void) | null;

  // Plain-line state.
  private lastPrint: number;
  private dirty = false;

  constructor(
    private readonly ctx: ProgressContext,
    private readonly options: ProgressOptions,
    private readonly live: boolean,
  ) {
    this.lastPrint = ctx.now();
    this.keys = live && options.keys !== false ? ctx.keys : null;
    this.unsubscribeInterrupts = live ? ctx.interrupts.onInterrupt(() => this.onInterrupt()) : null;
  }

  onEvent(event: RunEvent): void {
    if (this.stopped) return;
    switch (event.type) {
      case 'phase':
        return this.onPhase(event.phase);
      case 'planned':
        this.selected++;
        if (event.decision === 'act') this.toAct++;
        else this.counts[event.decision]++;
        this.changed();
        return;
      case 'accepted':
        // Sent and accepted counts as progress; its outcome (once confirmed) then moves only the counts.
        this.awaitingConfirmation.add(event.order);
        this.completed++;
        this.sample(false);
        this.changed();
        return;
      case 'outcome':
        if (!this.awaitingConfirmation.delete(event.order)) this.completed++;
        this.counts[event.outcome]++;
        this.sample(false);
        if (!this.live && this.ctx.globals.verbose && (event.outcome === 'failed' || event.outcome === 'unknown')) {
          this.ctx.stderr.write(`${orderLine(event)}\n`);
        }
        this.changed();
        return;
      case 'bucket':
        return this.setBucket(event);
      case 'request':
        return;
    }
  }

  setTotal(n: number): void {
    if (this.stopped) return;
    this.explicitTotal = Math.max(0, n);
    this.bar?.setTotal(this.total());
    this.changed();
  }

  setBucket(stats: { available: number; maximumAvailable: number }): void {
    if (this.stopped) return;
    this.bucket = { available: Math.max(0, Math.floor(stats.available)), maximumAvailable: Math.floor(stats.maximumAvailable) };
    // A new bucket level alone is no reason for a plain line.
    this.changed(false);
  }

  pause(): void {
    if (this.stopped || !this.live) return;
    this.paused = true;
    // First give stdin back: a prompt is likely next.
    this.stopListening();
    this.clearSelectingLine();
    if (this.bar) {
      this.bar.stop();
      this.bar = null;
    }
  }

  stop(): void {
    if (this.stopped) return;
    // First, so the last frame drawn by bar.stop() carries no hint about keys.
    this.stopped = true;
    this.unsubscribeInterrupts?.();
    this.stopListening();
    if (this.live) {
      this.clearSelectingLine();
      this.bar?.stop();
      this.bar = null;
    }
  }

  /**
   * The first Ctrl-C (or SIGTERM) lets the orders in flight finish, which can take seconds: say so at
   * once, in the bar itself (still the only thing drawing). The cursor the bar hid is shown again now,
   * since a second Ctrl-C exits on the spot, with no chance to stop the bar.
   */
  private onInterrupt(): void {
    if (this.stopped || this.stopping) return;
    this.stopping = true;
    if (this.spinner) this.ctx.stderr.write(SHOW_CURSOR);
    if (!this.bar) return;
    this.ctx.stderr.write(SHOW_CURSOR);
    this.bar.render();
  }

  private onPhase(phase: Extract<RunEvent, { type: 'phase' }>['phase']): void {
    this.phase = phase;
    this.paused = false;
    if (phase === 'finished') return this.stop();
    if (phase === 'executing' || phase === 'confirming') {
      if (this.executingSince === null) {
        this.executingSince = this.ctx.now();
        this.lastPrint = this.executingSince;
        this.dirty = false;
        this.sample(true);
      }
      if (this.live) {
        this.clearSelectingLine();
        this.startBar();
      }
      return;
    }
    if (phase === 'selecting') {
      this.lastPrint = this.ctx.now();
      this.dirty = false;
      if (this.live) this.startSpinner();
    }
  }

  private total(): number {
    return this.explicitTotal ?? this.toAct;
  }

  /**
   * Something changed: on a terminal, the bar takes the new values (cli-progress redraws at its own
   * pace, the spinner at its own); off a terminal, a plain line is printed when one is due.
   */
  private changed(worthALine = true): void {
    if (this.live) {
      if (this.paused) return;
      if (this.bar) this.bar.update(this.completed, this.payload());
      else if (this.phase !== 'selecting' && this.executingSince !== null) this.startBar();
      return;
    }
    if (worthALine) this.dirty = true;
    this.maybePrint();
  }

  // ---- rate and ETA, on ctx.now() -------------------------------------------------------------

  private sample(force: boolean): void {
    const at = this.ctx.now();
    const last = this.samples[this.samples.length - 1];
    if (!force && last && at - last.at < SAMPLE_EVERY_MS) return;
    this.samples.push({ at, completed: this.completed });
    while (this.samples.length > 2 && this.samples[1]!.at <= at - RATE_WINDOW_MS) this.samples.shift();
  }

  /** Orders per second over the last RATE_WINDOW_MS, or null while too early to tell. */
  private rate(): number | null {
    if (this.executingSince === null) return null;
    const now = this.ctx.now();
    if (now - this.executingSince < RATE_WARMUP_MS) return null;
    // The oldest sample inside the window; after a stall with no samples in it, the latest one.
    const base = this.samples.find((s) => s.at >= now - RATE_WINDOW_MS) ?? this.samples[this.samples.length - 1];
    if (!base) return null;
    const elapsed = now - base.at;
    if (elapsed <= 0) return null;
    return ((this.completed - base.completed) * 1000) / elapsed;
  }

  private etaMs(rate: number | null): number | null {
    if (this.total() === 0) return null;
    const remaining = Math.max(0, this.total() - this.completed);
    if (remaining === 0) return 0;
    if (rate === null || rate <= 0) return null;
    return (remaining / rate) * 1000;
  }

  private payload(): Record<string, number | string> {
    const rate = this.rate();
    return {
      ...this.counts,
      rate: rate === null ? '--' : formatRate(rate),
      eta: formatEta(this.etaMs(rate)),
      bucket: this.bucket ? `${this.bucket.available}/${this.bucket.maximumAvailable}` : '',
    };
  }

  // ---- plain lines (not a terminal) -----------------------------------------------------------

  private maybePrint(): void {
    const now = this.ctx.now();
    if (!this.dirty || now - this.lastPrint < (this.options.plainIntervalMs ?? 5000)) return;
    let line: string | null = null;
    if (this.executingSince !== null) line = this.plainProgressLine();
    else if (this.phase === 'selecting') line = `[bulkfill] Selecting orders... ${formatCount(this.selected)}`;
    if (line === null) return;
    this.lastPrint = now;
    this.dirty = false;
    this.ctx.stderr.write(`${line}\n`);
  }

  private plainProgressLine(): string {
    const payload = this.payload();
    const parts = [`[bulkfill] ${this.options.label} ${formatCount(this.completed)}/${formatCount(this.total())}`];
    parts.push(`done ${formatCount(this.counts.done)}`);
    if (this.counts.already) parts.push(`already ${formatCount(this.counts.already)}`);
    if (this.counts.skipped) parts.push(`skipped ${formatCount(this.counts.skipped)}`);
    parts.push(`failed ${formatCount(this.counts.failed)}`);
    if (this.counts.unknown) parts.push(`unknown ${formatCount(this.counts.unknown)}`);
    parts.push(`${String(payload.rate)}/s`, `ETA ${String(payload.eta)}`);
    if (payload.bucket) parts.push(`bucket ${String(payload.bucket)}`);
    return parts.join(' ');
  }

  // ---- the terminal ---------------------------------------------------------------------------

  /** The "Selecting orders… N" line with a spinner, redrawn on ora's timer so a slow selection still moves. */
  private startSpinner(): void {
    if (this.spinner) return;
    const chalk = this.ctx.chalk.stderr;
    // Not once stopping: a second Ctrl-C exits without stopping the spinner (see onInterrupt).
    if (!this.stopping) this.ctx.stderr.write(HIDE_CURSOR);
    this.spinner = ora({
      stream: new SpinnerStream(this.ctx),
      isEnabled: true,
      discardStdin: false,
      hideCursor: false,
      // Frames coloured by the context's chalk (ora's own follows the process's streams), and always
      // the braille dots: ora would pick another set from the real environment.
      color: false,
      spinner: { interval: spinners.dots.interval, frames: spinners.dots.frames.map((frame) => chalk.cyan(frame)) },
      text: chalk.cyan('Selecting orders…'),
      // Read at each frame, so counting an order costs nothing.
      suffixText: () => formatCount(this.selected),
    }).start();
  }

  /** Stops the spinner and takes its line off the terminal. */
  private clearSelectingLine(): void {
    if (!this.spinner) return;
    this.spinner.stop();
    this.spinner = null;
    if (!this.stopping) this.ctx.stderr.write(SHOW_CURSOR);
    this.ctx.stderr.write('\r\x1b[K');
  }

  // ---- keys -----------------------------------------------------------------------------------

  private startListening(): void {
    if (!this.keys || this.unlisten || this.stopped || this.paused) return;
    this.unlisten = this.keys.listen((key) => this.onKey(key));
  }

  private stopListening(): void {
    const unlisten = this.unlisten;
    this.unlisten = null;
    unlisten?.();
  }

  private onKey(key: string): void {
    if (!TOGGLE_KEYS.has(key) || this.stopped || this.paused || !this.bar) return;
    this.collapsed = !this.collapsed;
    // Redraw now rather than at the next frame, so the key feels answered.
    this.bar.render();
  }

  private label(): string {
    if (this.stopping) return 'Stopping';
    return this.phase === 'confirming' ? 'Confirming' : this.options.label;
  }

  private startBar(): void {
    if (this.bar) return;
    // Before the first frame, so it already carries the "(h to hide)" hint.
    this.startListening();
    const bar = new UnrefSingleBar({
      stream: this.ctx.stderr,
      // Not once stopping: a second Ctrl-C exits without stopping the bar (see onInterrupt).
      hideCursor: !this.stopping,
      gracefulExit: false,
      clearOnComplete: false,
      stopOnComplete: false,
      fps: FPS,
      etaBuffer: 50,
      linewrap: false,
      format: (_options, _params, payload: Record<string, number | string>) => this.renderBar(payload),
    });
    this.bar = bar;
    bar.start(this.total(), this.completed, this.payload());
  }

  private renderBar(payload: Record<string, number | string>): string {
    // Not cli-progress's own progress: with no total yet it would show a full bar.
    const total = this.total();
    const progress = total > 0 ? this.completed / total : 0;
    // Rate and ETA are recomputed at every frame, so a stall shows as a falling rate.
    const live = this.payload();
    const chalk = this.ctx.chalk.stderr;
    const width = Math.max(20, (this.ctx.columns('stderr') ?? 80) - 1);
    const n = (key: keyof Counts) => Number(payload[key] ?? this.counts[key]);
    if (this.collapsed) return this.renderCollapsed(String(live.eta), width);

    type Segment = { plain: string; styled: string; optional?: number };
    const seg = (plain: string, style: (s: string) => string = (s) => s, optional?: number): Segment => ({ plain, styled: style(plain), optional });
    const label = this.label();
    const counts = [`done ${formatCount(n('done'))}`];
    if (n('already')) counts.push(`already ${formatCount(n('already'))}`);
    if (n('skipped')) counts.push(`skipped ${formatCount(n('skipped'))}`);
    const failed = n('failed');
    const unknown = n('unknown');

    const before: Segment[] = [seg(label, this.stopping ? (s) => chalk.bold(chalk.yellow(s)) : chalk.bold)];
    const after: Segment[] = [
      seg(`${formatCount(this.completed)}/${formatCount(this.total())}`),
      seg(counts.join(' '), chalk.green),
      seg(`failed ${formatCount(failed)}`, failed ? chalk.red : chalk.dim),
      ...(unknown ? [seg(`unknown ${formatCount(unknown)}`, chalk.yellow)] : []),
      seg(`${String(live.rate)}/s`, (s) => s, 4),
      seg(`ETA ${String(live.eta)}`, (s) => s, 3),
      ...(live.bucket ? [seg(`bucket ${String(live.bucket)}`, chalk.dim, 2)] : []),
      ...(this.stopping
        ? this.stopped
          ? []
          : [seg('(Ctrl-C again to quit now)', chalk.dim, 1)]
        : this.unlisten
          ? [seg('(h to hide)', chalk.dim, 1)]
          : []),
    ];
    const length = (segments: Segment[]) => segments.reduce((sum, s) => sum + s.plain.length + 1, 0);
    // Drop the least important parts until the line fits beside a bar of at least 10 cells.
    for (let drop = 1; drop <= 4 && length(before) + length(after) + 10 > width; drop++) {
      const at = after.findIndex((s) => s.optional === drop);
      if (at !== -1) after.splice(at, 1);
    }
    const cells = Math.max(0, Math.min(30, width - length(before) - length(after)));
    const complete = Math.round(Math.max(0, Math.min(1, progress)) * cells);
    const barText = cells > 0 ? chalk.cyan('█'.repeat(complete)) + chalk.dim('░'.repeat(cells - complete)) : '';
    const plainLength = length(before) + length(after) + (cells > 0 ? cells : -1);
    const line = [...before.map((s) => s.styled), ...(cells > 0 ? [barText] : []), ...after.map((s) => s.styled)].join(' ');
    // Still too wide (a very narrow terminal): fall back to the unstyled text, cut to fit.
    if (plainLength > width) {
      return [...before, ...after]
        .map((s) => s.plain)
        .join(' ')
        .slice(0, width);
    }
    return line;
  }

  /** The bar hidden: "Cancelling 1,234/3,000 · 2 failed · ETA 12s". */
  private renderCollapsed(eta: string, width: number): string {
    const chalk = this.ctx.chalk.stderr;
    const label = this.label();
    const { failed, unknown } = this.counts;
    const parts: [plain: string, styled: string][] = [
      [
        `${label} ${formatCount(this.completed)}/${formatCount(this.total())}`,
        `${chalk.bold(label)} ${formatCount(this.completed)}/${formatCount(this.total())}`,
      ],
      [`${formatCount(failed)} failed`, failed ? chalk.red(`${formatCount(failed)} failed`) : `${formatCount(failed)} failed`],
      ...(unknown ? [[`${formatCount(unknown)} unknown`, chalk.yellow(`${formatCount(unknown)} unknown`)] as [string, string]] : []),
      [`ETA ${eta}`, `ETA ${eta}`],
    ];
    const plain = parts.map(([p]) => p).join(' · ');
    if (plain.length > width) return plain.slice(0, width);
    return parts.map(([, styled]) => styled).join(chalk.dim(' · '));
  }
}

/**
 * Off a terminal with --verbose: "[bulkfill] #1001 failed (user-error): The order is already closed".
 * The name, reason and message come from the store: no escape sequence or line break gets through.
 */
function orderLine(event: Extract<RunEvent, { type: 'outcome' }>): string {
  const reason = event.reason ? ` (${safeForTerminal(event.reason)})` : '';
  const message = event.message ? `: ${safeForTerminal(event.message).replace(/\s+/g, ' ').trim()}` : '';
  return `[bulkfill] ${safeForTerminal(event.name ?? event.order)} ${event.outcome}${reason}${message}`;
}

/**
 * The terminal as ora sees it: the context's stderr, with the cursor methods of a TTY stream (which a
 * test's stream lacks), written through synchronously so its frames keep their order with our own writes.
 */
class SpinnerStream extends Writable {
  readonly isTTY = true;

  constructor(private readonly ctx: Pick<ProgressContext, 'columns' | 'stderr'>) {
    super({ decodeStrings: false });
  }

  get columns(): number {
    return this.ctx.columns('stderr') ?? 80;
  }

  override _write(chunk: string | Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.ctx.stderr.write(chunk);
    callback();
  }

  cursorTo(x: number): boolean {
    return cursorTo(this, x);
  }

  moveCursor(dx: number, dy: number): boolean {
    return moveCursor(this, dx, dy);
  }

  clearLine(direction: Direction): boolean {
    return clearLine(this, direction);
  }
}

/** cli-progress schedules its redraws with setTimeout; an unref'd timer never keeps the process alive. */
class UnrefSingleBar extends cliProgress.SingleBar {
  override render(): void {
    super.render();
    (this as unknown as { timer: NodeJS.Timeout | null }).timer?.unref();
  }
}

function formatRate(rate: number): string {
  return rate >= 10 ? formatCount(Math.round(rate)) : rate.toFixed(1);
}
