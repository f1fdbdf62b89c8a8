// Entry point: builds the commander program around a Context, runs it, and turns whatever happens
// into an exit code. bin/bulkfill.js is the only caller with a real process.

import { readFileSync } from 'node:fs';

import { Command, Option } from 'commander';

import { exitCodeOf } from './cli/handle.js';
import { reportError } from './cli/report-error.js';
import { rootHelpText } from './cli/root-help.js';
import { COMMANDS, type CommandFactory } from './commands/index.js';
import type { Context, GlobalOptions } from './context.js';

export { createProcessContext } from './process-context.js';

/** `commands` is injectable so tests can run the real program with a command's services faked. */
export async function main(argv: string[], ctx: Context, commands: readonly CommandFactory[] = COMMANDS): Promise<number> {
  const program = buildProgram(ctx, commands);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCodeOf(program);
  } catch (error) {
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
