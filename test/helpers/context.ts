// A Context for tests: collecting PassThrough streams with chosen TTY flags, an explicit env (never
// the real one), a clock that only moves when told, and interrupts fired by hand.

import { PassThrough } from 'node:stream';
import { setTimeout as realSleep } from 'node:timers/promises';

import { createContext, type Context } from '../../src/context.js';
import type { InterruptKind } from '../../src/errors.js';
import { createInterrupts } from '../../src/interrupts.js';
import { downloadLines } from '../../src/shopify/download.js';
import { createTransport } from '../../src/shopify/transport.js';
import type { KeyInput } from '../../src/context.js';
import { recordPath, recordToken, trackCapture } from './leak-scan.js';
import { createScriptedPrompter, type ScriptedAnswer, type ScriptedPrompter } from './prompter.js';

export interface TestContextOptions {
  env?: Record<string, string | undefined>;
  stdinTTY?: boolean;
  stdoutTTY?: boolean;
  stderrTTY?: boolean;
  /** Piped into stdin, which then ends. Without it stdin stays open when stdinTTY, else it is empty. */
  stdin?: string;
  /** Terminal width reported for TTY streams. */
  columns?: number;
  /** Start of the fake clock, ms since the epoch. */
  now?: number;
  cwd?: string;
  stateDir?: string;
  configDir?: string;
  /** Real time instead of the fake clock: for runs against a real sandbox. */
  realClock?: boolean;
  /** Answers to the questions the command is expected to ask, in order. */
  answers?: ScriptedAnswer[];
  /** Key presses, when the test plays a terminal (see createFakeKeys). */
  keys?: KeyInput;
}

export interface FakeClock {
  now(): number;
  /** Moves time forward, resolving due sleeps in deadline order and letting their continuations run. */
  advance(ms: number): Promise<void>;
  /** Sleeps not yet resolved or aborted. */
  readonly pending: number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export interface TestContext extends Context {
  readonly stdin: PassThrough;
  readonly stdout: PassThrough;
  readonly stderr: PassThrough;
  stdoutText(): string;
  stderrText(): string;
  readonly clock: FakeClock;
  /** Delivers a fake SIGINT (default) or SIGTERM. */
  interrupt(kind?: InterruptKind): void;
  readonly prompter: ScriptedPrompter;
}

export const TEST_EPOCH = Date.UTC(2026, 0, 15, 12, 0, 0);

export function createTestContext(options: TestContextOptions = {}): TestContext {
  const stdinTTY = options.stdinTTY ?? false;
  const stdoutTTY = options.stdoutTTY ?? false;
  const stderrTTY = options.stderrTTY ?? false;
  const stdin = ttyStream(new PassThrough(), stdinTTY);
  if (options.stdin !== undefined) stdin.end(options.stdin);
  else if (!stdinTTY) stdin.end();
  const stdout = collecting(ttyStream(new PassThrough(), stdoutTTY));
  const stderr = collecting(ttyStream(new PassThrough(), stderrTTY));
  const clock = createFakeClock(options.now ?? TEST_EPOCH);
  const { interrupts, deliver } = createInterrupts();
  // The leak scan (leak-scan.ts) reads both streams after the test, and knows the token and state dir.
  trackCapture('context', () => ({ stdout: stdout.text(), stderr: stderr.text() }));
  if (options.env?.SHOPIFY_ACCESS_TOKEN) recordToken(options.env.SHOPIFY_ACCESS_TOKEN);
  if (options.stateDir) recordPath(options.stateDir);

  const ctx = createContext({
    stdin,
    stdout: stdout.stream,
    stderr: stderr.stream,
    isStdinTTY: stdinTTY,
    isStdoutTTY: stdoutTTY,
    isStderrTTY: stderrTTY,
    columns: (stream) => ((stream === 'stdout' ? stdoutTTY : stderrTTY) ? (options.columns ?? 100) : undefined),
    env: { ...options.env },
    cwd: options.cwd ?? '/nonexistent/cwd',
    stateDir: options.stateDir ?? '/nonexistent/state/bulkfill',
    configDir: options.configDir ?? '/nonexistent/config/bulkfill',
    now: () => (options.realClock ? Date.now() : clock.now()),
    sleep: (ms, signal) => (options.realClock ? realSleep(ms, undefined, signal ? { signal } : undefined) : clock.sleep(ms, signal)),
    random: Math.random,
    interrupts,
    system: { pid: 4242, hostname: 'test-host', user: 'tester', isProcessAlive: () => false },
    network: { createTransport, downloadLines },
    prompter: createScriptedPrompter(options.answers),
    keys: options.keys ?? null,
  });
  return Object.assign(ctx, {
    stdoutText: stdout.text,
    stderrText: stderr.text,
    clock,
    interrupt: (kind: InterruptKind = 'SIGINT') => deliver(kind),
  }) as TestContext;
}

// Libraries (ora, cli-progress, @inquirer) look at stream.isTTY themselves: keep it in step.
function ttyStream(stream: PassThrough, isTTY: boolean): PassThrough {
  return Object.assign(stream, { isTTY });
}

function collecting(stream: PassThrough): { stream: PassThrough; text: () => string } {
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer | string) => chunks.push(chunk.toString()));
  return { stream, text: () => chunks.join('') };
}

interface Timer {
  deadline: number;
  resolve: () => void;
}

export function createFakeClock(start: number): FakeClock {
  let now = start;
  const timers = new Set<Timer>();
  const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

  return {
    now: () => now,
    get pending() {
      return timers.size;
    },
    sleep(ms, signal) {
      if (signal?.aborted) return Promise.reject(abortError(signal));
      if (ms <= 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const onAbort = () => {
          timers.delete(timer);
          reject(abortError(signal as AbortSignal));
        };
        const timer: Timer = {
          deadline: now + ms,
          resolve: () => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          },
        };
        timers.add(timer);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
    async advance(ms) {
      const target = now + ms;
      for (;;) {
        await turn();
        let next: Timer | undefined;
        for (const timer of timers) if (timer.deadline <= target && (!next || timer.deadline < next.deadline)) next = timer;
        if (!next) break;
        timers.delete(next);
        now = next.deadline;
        next.resolve();
      }
      now = target;
      await turn();
    },
  };
}

// Shaped like the AbortError node:timers/promises rejects with.
function abortError(signal: AbortSignal): Error {
  return Object.assign(new Error('The operation was aborted', { cause: signal.reason }), {
    name: 'AbortError',
    code: 'ABORT_ERR',
  });
}
