import { Command } from 'commander';
import { describe, expect, it } from 'vitest';

import { handle } from '../../../src/cli/handle.js';
import { actionHelpFooter } from '../../../src/cli/help-footer.js';
import { main } from '../../../src/cli.js';
import { addCommonFlags } from '../../../src/commands/action/flags.js';
import type { Context } from '../../../src/context.js';
import { createTestContext } from '../../helpers/context.js';

const ENVIRONMENT = [
  'SHOPIFY_STORE',
  'SHOPIFY_ACCESS_TOKEN',
  'SHOPIFY_API_VERSION',
  'BULKFILL_PROFILE',
  'BULKFILL_STATE_DIR',
  'NO_COLOR',
  'FORCE_COLOR',
  'CI',
];
const EXIT_CODES = ['0', '1', '2', '3', '4', '130', '143'];

/** An action-like command: the common flags, then its own examples, as cancel.ts does. */
function probe(ran: { flags?: unknown }) {
  return (_ctx: Context) => {
    const command = addCommonFlags(new Command('probe').description('a probe'));
    command.addHelpText('after', '\nExamples:\n  $ bulkfill probe 1001');
    return handle(command, async () => {
      ran.flags = command.opts();
      return 0;
    });
  };
}

function sectionRows(help: string, title: string): string[] {
  const start = help.indexOf(`\n${title}:\n`);
  expect(start, `${title} section`).toBeGreaterThanOrEqual(0);
  const body = help.slice(start + title.length + 3).split('\n\n')[0]!;
  return body
    .trimEnd()
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[0]!);
}

describe('action command help', () => {
  it('lists the environment variables and exit codes after the command’s own examples', async () => {
    const ctx = createTestContext();
    expect(await main(['probe', '--help'], ctx, [probe({})])).toBe(0);
    const help = ctx.stdoutText();
    expect(sectionRows(help, 'Environment')).toEqual(ENVIRONMENT);
    expect(sectionRows(help, 'Exit codes')).toEqual(EXIT_CODES);
    const examples = help.indexOf('Examples:');
    expect(examples).toBeGreaterThan(0);
    expect(examples).toBeLessThan(help.indexOf('Environment:'));
    expect(help.indexOf('Environment:')).toBeLessThan(help.indexOf('Exit codes:'));
    expect(help.trimEnd().endsWith(actionHelpFooter().trimEnd())).toBe(true);
  });

  it('shows --profile, --token-file and --api-version, and no --token', async () => {
    const ctx = createTestContext();
    await main(['probe', '--help'], ctx, [probe({})]);
    const help = ctx.stdoutText();
    expect(help).toMatch(/--profile <name>.*BULKFILL_PROFILE/s);
    expect(help).toContain('--token-file <path>');
    expect(help).toMatch(/--api-version <version>.*SHOPIFY_API_VERSION/s);
    expect(help).not.toMatch(/--token[ [<]/);
  });

  it('bulkfill cancel --help ends with the same footer, after its examples', async () => {
    const ctx = createTestContext();
    expect(await main(['cancel', '--help'], ctx)).toBe(0);
    const help = ctx.stdoutText();
    expect(help.indexOf('Examples:')).toBeGreaterThan(0);
    expect(help.indexOf('Examples:')).toBeLessThan(help.indexOf('Environment:'));
    expect(help.trimEnd().endsWith(actionHelpFooter().trimEnd())).toBe(true);
  });

  it('passes --profile through to the flags', async () => {
    const ran: { flags?: unknown } = {};
    expect(await main(['probe', '--profile', 'main'], createTestContext(), [probe(ran)])).toBe(0);
    expect(ran.flags).toMatchObject({ profile: 'main' });
  });
});

describe('the token is never a flag value', () => {
  it.each([[['--token', 'shpat_s3cret']], [['--token=shpat_s3cret']], [['1001', '--token', 'shpat_s3cret', '--dry-run']], [['--token']]])(
    '%j exits 2 with the ways to give a token, without echoing it',
    async (args) => {
      const ran: { flags?: unknown } = {};
      const ctx = createTestContext();
      expect(await main(['probe', ...args], ctx, [probe(ran)])).toBe(2);
      expect(ran.flags).toBeUndefined();
      const stderr = ctx.stderrText();
      expect(stderr).toContain('--token is not accepted');
      expect(stderr).toMatch(/SHOPIFY_ACCESS_TOKEN.*--token-file.*--profile/);
      expect(stderr).not.toContain('s3cret');
      expect(ctx.stdoutText()).toBe('');
    },
  );

  it('bulkfill cancel --token is refused before anything runs', async () => {
    const ctx = createTestContext({ env: { SHOPIFY_STORE: 'shop' } });
    expect(await main(['cancel', '--token', 'shpat_s3cret'], ctx)).toBe(2);
    expect(ctx.stderrText()).toContain('--token is not accepted');
  });
});

describe('root help', () => {
  it('lists every environment variable and exit code, and where the config file is', async () => {
    const ctx = createTestContext({ stateDir: '/home/u/.local/state/bulkfill', configDir: '/home/u/.config/bulkfill' });
    expect(await main(['--help'], ctx)).toBe(0);
    const help = ctx.stdoutText();
    expect(sectionRows(help, 'Environment')).toEqual(ENVIRONMENT);
    expect(sectionRows(help, 'Exit codes')).toEqual(EXIT_CODES);
    expect(help).toContain('/home/u/.config/bulkfill/config.json');
    expect(help).toContain('chmod 600');
  });
});
