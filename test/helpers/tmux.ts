// A real pseudo-terminal for end-to-end tests: a private tmux server (its own socket in a temp dir,
// so nothing touches the user's tmux) running one command in a detached session of a fixed size.
// Tests read the screen with capture-pane and type with send-keys.
//
// Everything here is asynchronous on purpose: the sandbox a test drives runs in the test's own
// process, and a blocking execFileSync would stall it.
import { newCaptureId, recordOutput } from './leak-scan.js';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const TMUX = 'tmux';

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(TMUX, args, { env, timeout: 10_000 }, (error, stdout, stderr) => {
      if (error) reject(Object.assign(error, { message: `${TMUX} ${args.join(' ')}: ${error.message}${stderr ? `\n${stderr}` : ''}` }));
      else resolve({ stdout, stderr });
    });
  });
}

/** Fails (never skips) with a clear message when tmux is not installed: CI runs on this same image. */
export async function requireTmux(): Promise<string> {
  try {
    const { stdout } = await run(['-V'], { PATH: process.env.PATH ?? '' });
    return stdout.trim();
  } catch (error) {
    throw new Error(
      `tmux is required by the pseudo-terminal tests and was not found or did not run (${(error as Error).message}). ` +
        'Install it (apt-get install tmux); these tests must not be skipped.',
    );
  }
}

/** Quotes one word for sh. */
export function sh(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

export interface WaitOptions {
  timeoutMs?: number;
  pollMs?: number;
}

export class TmuxSession {
  /** Every distinct screen seen by capture() so far, in order. */
  readonly frames: string[] = [];
  private readonly captureId = newCaptureId();

  private constructor(
    private readonly socket: string,
    private readonly dir: string,
    readonly name: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /**
   * Starts `command` (run by sh) in a detached width×height session. The server gets a minimal
   * environment (PATH, HOME, TERM), never the test runner's (which may carry CI=true); the command
   * should still set what it needs itself. The pane stays after the command ends, so its last screen
   * can be read.
   */
  static async start(command: string, options: { width?: number; height?: number; home?: string } = {}): Promise<TmuxSession> {
    const dir = mkdtempSync(join(tmpdir(), 'bulkfill-tmux-'));
    const socket = join(dir, 'socket');
    const config = join(dir, 'tmux.conf');
    await writeFile(
      config,
      [
        'set -g remain-on-exit on', // keep the last screen after the command exits
        'set -g status off', // the whole window is the pane
        'set -g history-limit 5000',
        'set -g default-terminal xterm-256color',
        'set -g escape-time 0',
      ].join('\n') + '\n',
    );
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '', HOME: options.home ?? dir, TERM: 'xterm-256color' };
    const name = `bulkfill-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    const session = new TmuxSession(socket, dir, name, env);
    await run(
      ['-S', socket, '-f', config, 'new-session', '-d', '-x', String(options.width ?? 120), '-y', String(options.height ?? 40), '-s', name, command],
      env,
    );
    return session;
  }

  private tmux(args: string[]): Promise<{ stdout: string; stderr: string }> {
    return run(['-S', this.socket, ...args], this.env);
  }

  /** The screen (and scrollback) as plain text, trailing blank lines dropped. */
  async capture(): Promise<string> {
    const { stdout } = await this.tmux(['capture-pane', '-p', '-J', '-S', '-', '-t', this.name]);
    const screen = stdout.replace(/\s+$/, '');
    if (this.frames[this.frames.length - 1] !== screen) this.frames.push(screen);
    // The terminal's screen is an output like any other: the leak scan reads it (the latest replaces the earlier).
    recordOutput({ id: this.captureId, source: this.name, stream: 'stderr', origin: 'bin', command: 'tmux', text: this.frames.join('\n') });
    return screen;
  }

  /** Polls the screen until `test` holds; fails after the timeout showing the last screen. */
  async waitFor(test: RegExp | ((screen: string) => boolean), what: string, options: WaitOptions = {}): Promise<string> {
    const timeoutMs = options.timeoutMs ?? 20_000;
    const pollMs = options.pollMs ?? 100;
    const matches = typeof test === 'function' ? test : (screen: string) => test.test(screen);
    const deadline = Date.now() + timeoutMs;
    let screen = '';
    for (;;) {
      screen = await this.capture();
      if (matches(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}. The screen:\n${screen}`);
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  /** tmux key names (Enter, Down, C-c) or literal text, as send-keys takes them. */
  async keys(...keys: string[]): Promise<void> {
    await this.tmux(['send-keys', '-t', this.name, ...keys]);
  }

  /** A tmux format about the pane, e.g. '#{cursor_flag}' (1 when the cursor is visible). */
  async display(format: string): Promise<string> {
    const { stdout } = await this.tmux(['display-message', '-p', '-t', this.name, format]);
    return stdout.trim();
  }

  /** Kills this session's private server (only ours: it has its own socket) and removes its files. */
  async kill(): Promise<void> {
    await this.tmux(['kill-server']).catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
