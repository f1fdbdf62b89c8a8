import { Command } from 'commander';
import { describe, expect, it } from 'vitest';

import { handle } from '../../../src/cli/handle.js';
import { main } from '../../../src/cli.js';
import type { Context } from '../../../src/context.js';
import { AuthError, ExitCode, UsageError } from '../../../src/errors.js';
import { createTestContext } from '../../helpers/context.js';

/** A program with one command whose handler is given, to drive main()'s error mapping. */
function withCommand(handler: (ctx: Context) => Promise<number>) {
  return [(ctx: Context) => handle(new Command('probe'), () => handler(ctx))];
}

describe('main: parsing', () => {
  it('exits 2 on an unknown command, with commander’s message on stderr', async () => {
    const ctx = createTestContext();
    expect(await main(['frobnicate'], ctx)).toBe(2);
    expect(ctx.stderrText()).toContain("unknown command 'frobnicate'");
    expect(ctx.stdoutText()).toBe('');
  });

  it('exits 2 on an unknown option', async () => {
    const ctx = createTestContext();
    expect(await main(['sandbox', '--bogus'], ctx)).toBe(2);
    expect(ctx.stderrText()).toContain("unknown option '--bogus'");
  });

  it('exits 2 with the help on stderr when no command is given', async () => {
    const ctx = createTestContext();
    expect(await main([], ctx)).toBe(2);
    expect(ctx.stderrText()).toContain('Usage: bulkfill');
    expect(ctx.stdoutText()).toBe('');
  });

  it('--help exits 0 and prints commands, examples, environment and exit codes on stdout', async () => {
    const ctx = createTestContext({ stateDir: '/home/u/.local/state/bulkfill' });
    expect(await main(['--help'], ctx)).toBe(0);
    const help = ctx.stdoutText();
    expect(help).toContain('sandbox');
    expect(help).toContain('Examples:');
    expect(help).toMatch(/Environment:[\s\S]*SHOPIFY_ACCESS_TOKEN[\s\S]*NO_COLOR/);
    expect(help).toContain('now: /home/u/.local/state/bulkfill');
    expect(help).toMatch(/Exit codes:[\s\S]*\b3\b.*failed[\s\S]*\b4\b.*scope[\s\S]*130[\s\S]*143/);
    expect(ctx.stderrText()).toBe('');
  });

  it('help <command> exits 0 with that command’s help on stdout', async () => {
    const ctx = createTestContext();
    expect(await main(['help', 'sandbox'], ctx)).toBe(0);
    expect(ctx.stdoutText()).toContain('Usage: bulkfill sandbox');
  });

  it('--version exits 0 and prints the package version on stdout', async () => {
    const ctx = createTestContext();
    expect(await main(['--version'], ctx)).toBe(0);
    expect(ctx.stdoutText()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('applies global flags given after the command before the command runs', async () => {
    const ctx = createTestContext({ env: { FORCE_COLOR: '1' }, stdinTTY: true, stderrTTY: true });
    let seen: unknown;
    const code = await main(
      ['probe', '--no-color', '--no-input', '--verbose'],
      ctx,
      withCommand(async (c) => {
        seen = { globals: c.globals, level: c.colorLevel('stderr'), canPrompt: c.canPrompt() };
        return 0;
      }),
    );
    expect(code).toBe(0);
    expect(seen).toEqual({
      globals: { color: false, input: false, verbose: true, quiet: false },
      level: 0,
      canPrompt: false,
    });
  });

  it('routes errors of nested subcommands built before attaching through the same exit mapping', async () => {
    const ctx = createTestContext();
    const runs = (c: Context) => {
      const command = new Command('runs');
      handle(command.command('list'), async () => (c.globals.quiet ? 0 : 3));
      return command;
    };
    expect(await main(['runs', 'list', '--bogus'], ctx, [runs])).toBe(2);
    expect(ctx.stderrText()).toContain("unknown option '--bogus'");
    expect(await main(['runs', 'list'], createTestContext(), [runs])).toBe(3);
    expect(await main(['runs', 'list', '-q'], createTestContext(), [runs])).toBe(0);
    const help = createTestContext();
    expect(await main(['runs', 'list', '--help'], help, [runs])).toBe(0);
    expect(help.stdoutText()).toContain('Usage: bulkfill runs list');
  });

  it('rejects --quiet with --verbose', async () => {
    const ctx = createTestContext();
    expect(
      await main(
        ['-q', '--verbose', 'probe'],
        ctx,
        withCommand(async () => 0),
      ),
    ).toBe(2);
  });
});

describe('main: exit codes from commands', () => {
  it('returns the code the command returns', async () => {
    const ctx = createTestContext();
    expect(
      await main(
        ['probe'],
        ctx,
        withCommand(async () => ExitCode.RunFailed),
      ),
    ).toBe(3);
  });

  it('maps UsageError to 2 with its message and hint', async () => {
    const ctx = createTestContext();
    const code = await main(
      ['probe'],
      ctx,
      withCommand(async () => {
        throw new UsageError('--yes is required when not running interactively', 'add --yes, or run in a terminal');
      }),
    );
    expect(code).toBe(2);
    expect(ctx.stderrText()).toBe('error: --yes is required when not running interactively\nhint: add --yes, or run in a terminal\n');
  });

  it('maps AuthError to 4', async () => {
    const ctx = createTestContext();
    const code = await main(
      ['probe'],
      ctx,
      withCommand(async () => {
        throw new AuthError('the token lacks the write_orders scope');
      }),
    );
    expect(code).toBe(4);
  });

  it('maps an unexpected error to 1 with one line, and the stack only with --verbose', async () => {
    const boom = withCommand(async () => {
      throw new TypeError('cannot read x\nof undefined');
    });
    const quiet = createTestContext();
    expect(await main(['probe'], quiet, boom)).toBe(1);
    expect(quiet.stderrText()).toMatch(/^error: cannot read x\n.*--verbose.*\n$/);
    expect(quiet.stderrText()).not.toContain('at ');

    const verbose = createTestContext();
    expect(await main(['--verbose', 'probe'], verbose, boom)).toBe(1);
    expect(verbose.stderrText()).toContain('TypeError: cannot read x');
    expect(verbose.stderrText()).toMatch(/\n\s+at /);
  });

  it('maps an abort caused by an interrupt to 130 (SIGINT) or 143 (SIGTERM)', async () => {
    for (const [kind, expected] of [
      ['SIGINT', 130],
      ['SIGTERM', 143],
    ] as const) {
      const ctx = createTestContext();
      const code = await main(
        ['probe'],
        ctx,
        withCommand(async (c) => {
          const sleeping = c.sleep(60_000, c.interrupts.signal);
          ctx.interrupt(kind);
          await sleeping;
          return 0;
        }),
      );
      expect(code).toBe(expected);
    }
  });

  it('maps a prompt cancelled with Ctrl-C (ExitPromptError) to 130', async () => {
    const ctx = createTestContext();
    const code = await main(
      ['probe'],
      ctx,
      withCommand(async () => {
        throw Object.assign(new Error('User force closed the prompt with SIGINT'), { name: 'ExitPromptError' });
      }),
    );
    expect(code).toBe(130);
  });

  it('colours "error:" on a colour-capable stderr only', async () => {
    const fail = withCommand(async () => {
      throw new UsageError('bad');
    });
    const tty = createTestContext({ stderrTTY: true });
    await main(['probe'], tty, fail);
    expect(tty.stderrText()).toContain('\u001b[31merror:\u001b[39m bad');

    const noColor = createTestContext({ stderrTTY: true, env: { NO_COLOR: '1' } });
    await main(['probe'], noColor, fail);
    expect(noColor.stderrText()).toBe('error: bad\n');
  });
});
