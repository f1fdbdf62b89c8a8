// The one Context injected into every command and service (gh's IOStreams, Vercel's Client): streams
// and their TTY flags, the environment, colour and prompt decisions, clock, interrupts, directories.
//
// Rule: only bin/bulkfill.js and src/cli.ts touch `process`. Everything else reads the
// world through a Context, so tests drive the real code with fake streams, env, clock and signals.

import { Chalk, type ChalkInstance } from 'chalk';

import { canPrompt, colorLevel, type ColorLevel, type Env } from './capabilities.js';
import type { Interrupts } from './interrupts.js';
import type { Transport, TransportOptions } from './shopify/transport.js';

export type StreamName = 'stdout' | 'stderr';

/** The global flags. Defaults apply until the program has parsed argv. */
export interface GlobalOptions {
  /** False with --no-color. */
  color: boolean;
  /** False with --no-input. */
  input: boolean;
  verbose: boolean;
  quiet: boolean;
}

export const DEFAULT_GLOBAL_OPTIONS: Readonly<GlobalOptions> = { color: true, input: true, verbose: false, quiet: false };

/** The raw facts a Context is built from: what differs between the real process and a test. */
export interface ContextBase {
  readonly stdin: NodeJS.ReadableStream;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly isStdinTTY: boolean;
  readonly isStdoutTTY: boolean;
  readonly isStderrTTY: boolean;
  /** Terminal width, when the stream is a terminal. */
  columns(stream: StreamName): number | undefined;
  /** A copy: writing to it never changes the real environment. */
  readonly env: Env;
  readonly cwd: string;
  readonly stateDir: string;
  readonly configDir: string;
  /** Milliseconds since the epoch. */
  now(): number;
  /** Rejects with an AbortError when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Uniform in [0, 1): jitter and run ids. */
  random(): number;
  readonly interrupts: Interrupts;
  /** Who and where: recorded in run journals and locks. */
  readonly system: SystemInfo;
  /** The only way to the network: tests get the real transport too, pointed at a sandbox. */
  readonly network: {
    createTransport(options: TransportOptions): Transport;
    /** The lines of a bulk operation's result file (no token is sent). */
    downloadLines(url: string, signal: AbortSignal): AsyncIterable<string>;
  };
  /** Questions on stderr; only asked when canPrompt() (tests answer with a script). */
  readonly prompter: Prompter;
  /** Key presses on the terminal (e.g. to collapse the progress bar); null when stdin is not a terminal. */
  readonly keys: KeyInput | null;
}

export interface KeyInput {
  /**
   * Calls `onKey` with each key pressed until the returned function is called. Raw mode swallows
   * Ctrl-C, so while listening it is delivered as an interrupt, as the signal would have been.
   */
  listen(onKey: (key: string) => void): () => void;
}

/** Questions to the person at the terminal (ui/prompter.ts has the real one; tests answer with a script). */
export interface Choice<T> {
  name: string;
  value: T;
  /** Shown under the list while this choice is highlighted. */
  description?: string;
  checked?: boolean;
}

export interface Prompter {
  select<T>(question: { message: string; choices: Choice<T>[]; default?: T }): Promise<T>;
  /** At least one choice must be ticked. */
  checkbox<T>(question: { message: string; choices: Choice<T>[] }): Promise<T[]>;
  confirm(question: { message: string; default: boolean }): Promise<boolean>;
  /** `validate` returns an error message, or null when the text is acceptable. */
  input(question: { message: string; default?: string; validate?(text: string): string | null }): Promise<string>;
}

export interface SystemInfo {
  pid: number;
  hostname: string;
  user: string;
  /** Whether a process of this machine is still running (stale lock detection). */
  isProcessAlive(pid: number): boolean;
}

export interface Context extends ContextBase {
  readonly globals: Readonly<GlobalOptions>;
  /** Called once, by the program, after argv is parsed and before a command runs. */
  applyGlobals(options: GlobalOptions): void;
  canPrompt(): boolean;
  colorLevel(stream: StreamName): ColorLevel;
  /** Chalk instances at the level decided for each stream (chalk's own detection ignores NO_COLOR). */
  readonly chalk: { readonly stdout: ChalkInstance; readonly stderr: ChalkInstance };
}

// The narrow slices of the Context that the layers below the commands take, so a unit test builds just
// the slice. A full Context satisfies each one, so commands pass their ctx unchanged.

/** Time, as timing code (backoff, deadlines, rates) reads it. */
export type Clock = Pick<ContextBase, 'now' | 'sleep'>;

/** What a run (run/runner.ts) reads of the process: time, randomness, interrupts, the network, where journals and locks live, and who runs it. */
export type RunContext = Clock & Pick<ContextBase, 'random' | 'interrupts' | 'network' | 'stateDir' | 'system'>;

/** What the progress display (ui/progress.ts) reads: stderr and how to draw on it, the clock, interrupts and key presses. */
export type ProgressContext = Pick<Context, 'globals' | 'isStderrTTY' | 'env' | 'columns' | 'stderr' | 'chalk' | 'now' | 'interrupts' | 'keys'>;

export function createContext(base: ContextBase): Context {
  let globals: Readonly<GlobalOptions> = DEFAULT_GLOBAL_OPTIONS;
  const chalks = new Map<ColorLevel, ChalkInstance>();
  const chalkAt = (level: ColorLevel): ChalkInstance => {
    let instance = chalks.get(level);
    if (!instance) chalks.set(level, (instance = new Chalk({ level })));
    return instance;
  };
  const levelOf = (stream: StreamName): ColorLevel =>
    colorLevel({
      env: base.env,
      isTTY: stream === 'stdout' ? base.isStdoutTTY : base.isStderrTTY,
      colorFlag: globals.color,
    });

  // Getters, not a spread: the base may create streams lazily (the real stdin only on first use).
  return {
    get stdin() {
      return base.stdin;
    },
    get stdout() {
      return base.stdout;
    },
    get stderr() {
      return base.stderr;
    },
    isStdinTTY: base.isStdinTTY,
    isStdoutTTY: base.isStdoutTTY,
    isStderrTTY: base.isStderrTTY,
    columns: (stream) => base.columns(stream),
    env: base.env,
    cwd: base.cwd,
    stateDir: base.stateDir,
    configDir: base.configDir,
    now: () => base.now(),
    sleep: (ms, signal) => base.sleep(ms, signal),
    random: () => base.random(),
    interrupts: base.interrupts,
    system: base.system,
    network: base.network,
    prompter: base.prompter,
    keys: base.keys,
    get globals() {
      return globals;
    },
    applyGlobals(options) {
      globals = Object.freeze({ ...options });
    },
    canPrompt: () =>
      canPrompt({
        env: base.env,
        isStdinTTY: base.isStdinTTY,
        isStderrTTY: base.isStderrTTY,
        inputFlag: globals.input,
      }),
    colorLevel: levelOf,
    chalk: {
      get stdout() {
        return chalkAt(levelOf('stdout'));
      },
      get stderr() {
        return chalkAt(levelOf('stderr'));
      },
    },
  };
}
