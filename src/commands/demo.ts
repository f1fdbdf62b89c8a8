// `bulkfill demo`: the first thing a new user sees. Starts an embedded sandbox store and runs a real
// bulk cancel against it — the same command a user would type, through the same code — then shows how
// to look at the result.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Command, Option } from 'commander';
import { handle } from '../cli/handle.js';
import { integer } from '../cli/option-parsers.js';
import type { Context } from '../context.js';
import { ExitCode } from '../errors.js';
import { cancelSpec } from './cancel.js';
import { runActionCommand } from './action/run-action.js';
import type { CancelReason, RefundMode } from '../actions/cancel.js';

const DEMO_QUERY = 'status:open financial_status:paid';

export function demoCommand(ctx: Context): Command {
  const command = new Command('demo')
    .summary('start an embedded sandbox store and run a real bulk action against it')
    .description('Starts a local sandbox store (with a few injected network faults) and cancels its paid open orders with bulkfill cancel.')
    .addOption(new Option('--orders <n>', 'orders in the demo store').default(600).argParser(integer(10, 100_000)))
    .addOption(new Option('--seed <n>', 'seed for the demo store').default(42).argParser(integer(0)));
  return handle(command, async () => {
    const { orders, seed } = command.opts<{ orders: number; seed: number }>();
    const { startSandbox } = await import('../sandbox/index.js');
    const sandbox = await startSandbox({ port: 0, orders, seed, plan: 'standard', timeScale: 10, faults: '503=0.02,reset-after=0.01' });
    try {
      const demoDir = path.join(ctx.stateDir, 'demo');
      await mkdir(demoDir, { recursive: true });
      const tokenFile = path.join(demoDir, 'sandbox-token');
      await writeFile(tokenFile, `${sandbox.token}\n`, { mode: 0o600 });
      const style = ctx.chalk.stderr;
      ctx.stderr.write(
        [
          `${style.bold('bulkfill demo')}: a sandbox store with ${orders} orders is running at ${style.cyan(sandbox.url)}`,
          '(standard plan rate limits, time 10× faster, a few injected 503s and dropped connections).',
          '',
          'Running:',
          style.dim(`  $ bulkfill cancel --store ${sandbox.url} --token-file ${tokenFile} \\`),
          style.dim(`      --query "${DEMO_QUERY}" --reason other --refund now --no-restock --yes`),
          '',
        ].join('\n'),
      );
      const flags = {
        store: sandbox.url,
        tokenFile,
        query: DEMO_QUERY,
        reason: 'other' as CancelReason,
        refund: 'now' as RefundMode,
        restock: false,
        yes: true,
        // The embedded store finishes cancel jobs in about 0.1 s; no need to allow for Shopify's slowest.
        settleDeadline: 5_000,
      };
      const code = await runActionCommand(ctx, cancelSpec, flags, []);
      ctx.stderr.write(
        `\nEvery run is journaled, order by order, in ${path.join(ctx.stateDir, 'runs')}.\n` +
          `Try your own: ${style.cyan('bulkfill sandbox')} in one terminal, then point ${style.cyan('--store')} at it.\n`,
      );
      // Some orders failing is part of the show; only a demo that could not run is an error.
      return code === ExitCode.RunFailed ? ExitCode.Ok : code;
    } finally {
      await sandbox.close();
    }
  });
}
