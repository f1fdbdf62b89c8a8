// `bulkfill demo`: the first thing a new user sees. Starts an embedded sandbox store and runs a real
// bulk cancel against it — the same command a user would type, through the same code — meets a few
// real refusals, and retries exactly those from the failures CSV.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Command, Option } from 'commander';
import { handle } from '../cli/handle.js';
import { integer } from '../util/option-parsers.js';
import type { Context } from '../context.js';
import { ExitCode } from '../errors.js';
import { actionNamed } from '../actions/registry.js';
import { runActionCommand } from './action/run-action.js';
import type { CancelReason, RefundMode } from '../actions/cancel/action.js';
import type { CancelFlags } from '../actions/cancel/command.js';
import { journalPath, resolveRunId } from '../journal/store.js';
import { defaultFailuresCsvPath } from '../report/failures-csv.js';

const DEMO_QUERY = 'status:open financial_status:paid';
// The embedded store finishes cancel jobs in about 0.1 s; no need to allow for Shopify's slowest.
const SETTLE_MS = 5_000;

export function demoCommand(ctx: Context): Command {
  const command = new Command('demo')
    .summary('start an embedded sandbox store and run a real bulk action against it')
    .description('Starts a local sandbox store (with a few injected network faults) and cancels its paid open orders with bulkfill cancel.')
    .addOption(new Option('--orders <n>', 'orders in the demo store').default(600).argParser(integer(10, 100_000)))
    .addOption(new Option('--seed <n>', 'seed for the demo store').default(42).argParser(integer(0)));
  return handle(command, async () => {
    const { orders, seed } = command.opts<{ orders: number; seed: number }>();
    const [{ startSandbox }, { demoStore }] = await Promise.all([import('@bulkfill/sandbox'), import('./demo-store.js')]);
    const demoDir = path.join(ctx.stateDir, 'demo');
    await mkdir(demoDir, { recursive: true });
    const { data, atClosedLocation } = demoStore(orders, seed, new Date(ctx.now()));
    const fixturePath = path.join(demoDir, 'store.json');
    await writeFile(fixturePath, JSON.stringify(data));
    const sandbox = await startSandbox({ port: 0, fixturePath, orders, seed, plan: 'standard', timeScale: 10, faults: '503=0.02,reset-after=0.01' });
    try {
      const tokenFile = path.join(demoDir, 'sandbox-token');
      await writeFile(tokenFile, `${sandbox.token}\n`, { mode: 0o600 });
      const style = ctx.chalk.stderr;
      const say = (...lines: string[]) => ctx.stderr.write(`${lines.join('\n')}\n`);
      const connection = { store: sandbox.url, tokenFile };
      const common = { ...connection, reason: 'other' as CancelReason, refund: 'now' as RefundMode, yes: true, settleDeadline: SETTLE_MS };
      const cancel = (flags: CancelFlags) => runActionCommand(ctx, actionNamed('cancel'), flags, []);
      say(
        `${style.bold('bulkfill demo')}: a sandbox store with ${orders} orders is running at ${style.cyan(sandbox.url)}`,
        '(standard plan rate limits, time 10× faster, a few injected 503s and dropped connections;',
        ` ${atClosedLocation} paid orders sit at a closed pop-up shop, where Shopify refuses to restock).`,
        '',
        'Running:',
        style.dim(`  $ bulkfill cancel --store ${sandbox.url} --token-file ${tokenFile} \\`),
        style.dim(`      --query "${DEMO_QUERY}" --reason other --refund now --restock --yes`),
        '',
      );
      const first = await cancel({ ...common, query: DEMO_QUERY, restock: true });
      let code = first;
      const failures = first === ExitCode.RunFailed ? await lastFailuresCsv(ctx.stateDir) : null;
      if (failures) {
        say(
          '',
          `${style.bold('Retrying exactly the failed orders')}, from the failures CSV, without restocking:`,
          style.dim(`  $ bulkfill cancel --csv ${failures} --store ${sandbox.url} --token-file ${tokenFile} \\`),
          style.dim('      --reason other --refund now --no-restock --yes'),
          '',
        );
        code = await cancel({ ...common, csv: failures, restock: false });
      }
      say(
        '',
        `Every run is journaled, order by order: see them with ${style.cyan('bulkfill runs')}.`,
        `Try your own: ${style.cyan('bulkfill sandbox')} in one terminal, then point ${style.cyan('--store')} at it.`,
      );
      // Some orders failing is part of the show; only a demo that could not run is an error.
      return code === ExitCode.RunFailed ? ExitCode.Ok : code;
    } finally {
      await sandbox.close();
    }
  });
}

/** The failures CSV of the run just made (where report-run writes it by default). */
async function lastFailuresCsv(stateDir: string): Promise<string | null> {
  const file = defaultFailuresCsvPath(journalPath(stateDir, await resolveRunId(stateDir, 'last')));
  return existsSync(file) ? file : null;
}
