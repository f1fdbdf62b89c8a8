// Entry point: builds the commander program around a Context, runs it, and turns whatever happens
// into an exit code; and the Context of the real process. Apart from bin/bulkfill.js this file is the
// only code that touches `process`, and the second-signal path below is the only process.exit.

import { readFileSync } from 'node:fs';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import tty from 'node:tty';

import { Command, Option } from 'commander';

import { exitCodeOf } from './cli/handle.js';
import { reportError } from './cli/report-error.js';
import { rootHelpText } from './cli/root-help.js';
import { COMMANDS, type CommandFactory } from './commands/index.js';
import { resolveAppDirs } from './app-dirs.js';
import { createContext, type Context, type GlobalOptions } from './context.js';
import { exitCodeForSignal, type InterruptKind } from './errors.js';
import { createInterrupts } from './interrupts.js';
import { downloadLines } from './shopify/download.js';
import { createTransport } from './shopify/transport.js';
import { createInquirerPrompter } from './ui/prompter.js';

/** `commands` is injectable so tests can run the real program with a command's services faked. */
export async function main(argv: string[], ctx: Context, commands: readonly CommandFactory[] = COMMANDS): Promise<number> {
  const program = buildProgram(ctx, commands);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCodeOf(program);
  } catch (error) {
    // The reader of our output went away (`bulkfill runs failures last | head`): nothing left to say.
    if ((error as NodeJS.ErrnoException | null)?.code === 'EPIPE') return exitCodeOf(program);
    return reportError(error, ctx);
  }
}

function buildProgram(ctx: Context, commands: readonly CommandFactory[]): Command {
  const program = new Command('bulkfill')
    .description("Shopify's bulk fulfillment actions from the terminal.")
    .version(readVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .helpCommand('help [command]', 'show help for a command')
    .addOption(new Option('--no-color', 'no colour, even on a terminal'))
    .addOption(new Option('--no-input', 'never prompt; missing values are errors'))
    .addOption(new Option('--verbose', 'more detail; stack traces for unexpected errors'))
    .addOption(new Option('-q, --quiet', 'only essential output on stderr').conflicts('verbose'))
    .addHelpText('after', () => `\n${rootHelpText(ctx)}`)
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => ctx.stdout.write(text),
      writeErr: (text) => ctx.stderr.write(text),
      getOutHelpWidth: () => ctx.columns('stdout') ?? 80,
      getErrHelpWidth: () => ctx.columns('stderr') ?? 80,
      getOutHasColors: () => ctx.colorLevel('stdout') > 0,
      getErrHasColors: () => ctx.colorLevel('stderr') > 0,
    })
    .hook('preAction', () => ctx.applyGlobals(globalsOf(program)));

  for (const create of commands) program.addCommand(inheritSettings(create(ctx), program));
  return program;
}

// addCommand() does not copy exitOverride/configureOutput (only .command() does), and a factory may
// have built nested subcommands before it was attached, so copy down the whole tree.
function inheritSettings(command: Command, parent: Command): Command {
  command.copyInheritedSettings(parent);
  for (const sub of command.commands) inheritSettings(sub, command);
  return command;
}

function globalsOf(program: Command): GlobalOptions {
  const options = program.opts();
  return {
    color: options.color !== false,
    input: options.input !== false,
    verbose: options.verbose === true,
    quiet: options.quiet === true,
  };
}

function readVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return manifest.version;
}

export function createProcessContext(): Context {
  const env = { ...process.env };
  const cwd = process.cwd();
  const { interrupts, deliver } = createInterrupts();

  // The first signal aborts the run so it can drain and report; a second means "stop now", and
  // waiting for cleanup would defeat it.
  const onSignal = (kind: InterruptKind) => (): void => {
    if (interrupts.count > 0) {
      // Leave the terminal tidy: end a live bar's line and show the cursor it may have hidden.
      if (process.stderr.isTTY) process.stderr.write('\u001b[?25h\n');
      process.exit(exitCodeForSignal(kind));
    }
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
    prompter: createInquirerPrompter({
      get stdin() {
        return process.stdin;
      },
      stderr: process.stderr,
    }),
    keys: tty.isatty(0) ? { listen: (onKey) => listenToKeys(onKey, onSignal('SIGINT')) } : null,
  });
}

/** Raw-mode key presses on the terminal's stdin; Ctrl-C (no longer a signal in raw mode) interrupts. */
function listenToKeys(onKey: (key: string) => void, interrupt: () => void): () => void {
  const stdin = process.stdin;
  const onData = (chunk: Buffer) => {
    const key = chunk.toString('utf8');
    if (key === '\u0003') interrupt();
    else onKey(key);
  };
  stdin.setRawMode(true);
  stdin.on('data', onData);
  stdin.resume();
  return () => {
    stdin.off('data', onData);
    stdin.setRawMode(false);
    stdin.pause();
  };
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
