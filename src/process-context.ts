// The Context of the real process. Apart from bin/bulkfill.js this is the only code that touches
// `process`, and the second-signal path below is the only process.exit in the tool.

import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import tty from 'node:tty';

import { resolveAppDirs } from './app-dirs.js';
import { createContext, type Context } from './context.js';
import { exitCodeForSignal, type InterruptKind } from './errors.js';
import { createInterrupts } from './interrupts.js';
import { downloadLines } from './shopify/download.js';
import { createTransport } from './shopify/transport.js';

export function createProcessContext(): Context {
  const env = { ...process.env };
  const cwd = process.cwd();
  const { interrupts, deliver } = createInterrupts();

  // The first signal aborts the run so it can drain and report; a second means "stop now", and
  // waiting for cleanup would defeat it.
  const onSignal = (kind: InterruptKind) => (): void => {
    if (interrupts.count > 0) process.exit(exitCodeForSignal(kind));
    deliver(kind);
  };
  process.on('SIGINT', onSignal('SIGINT'));
  process.on('SIGTERM', onSignal('SIGTERM'));

  // A reader that goes away (`bulkfill … --json | head`) is not an error worth a stack trace.
  const ignoreEpipe = (error: NodeJS.ErrnoException): void => {
    if (error.code !== 'EPIPE') throw error;
  };
  process.stdout.on('error', ignoreEpipe);
  process.stderr.on('error', ignoreEpipe);

  return createContext({
    // Lazy: touching process.stdin opens it, which only the commands that read it should do.
    get stdin() {
      return process.stdin;
    },
    stdout: process.stdout,
    stderr: process.stderr,
    isStdinTTY: tty.isatty(0),
    isStdoutTTY: process.stdout.isTTY === true,
    isStderrTTY: process.stderr.isTTY === true,
    columns: (stream) => (process[stream].isTTY ? process[stream].columns : undefined),
    env,
    cwd,
    ...resolveAppDirs({ env, platform: process.platform, homedir: os.homedir(), cwd }),
    now: () => Date.now(),
    sleep: (ms, signal) => sleep(ms, undefined, signal ? { signal } : undefined),
    random: Math.random,
    interrupts,
    system: {
      pid: process.pid,
      hostname: os.hostname(),
      user: userName(env),
      isProcessAlive,
    },
    network: { createTransport, downloadLines },
  });
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function userName(env: NodeJS.ProcessEnv): string {
  try {
    return os.userInfo().username;
  } catch {
    return env.USER ?? env.USERNAME ?? 'unknown';
  }
}
