// `bulkfill sandbox`: flags → SandboxOptions → startSandbox(); prints where it listens, then serves
// until interrupted.

import { once } from 'node:events';
import { access } from 'node:fs/promises';
import path from 'node:path';

import { PLAN_NAMES, SandboxConfigError } from '@bulkfill/sandbox/options';
import type { SandboxOptions, startSandbox } from '@bulkfill/sandbox';
import { Command, Option } from 'commander';

import { handle } from '../cli/handle.js';
import { commaList, integer, positiveNumber } from '../util/option-parsers.js';
import type { Context } from '../context.js';
import { ExitCode, UsageError } from '../errors.js';

export type StartSandbox = typeof startSandbox;
type Sandbox = Awaited<ReturnType<StartSandbox>>;

// Loaded on use: the server (GraphQL, store, seed data) is no cost to every other command's start-up.
const startLazily: StartSandbox = async (options) => (await import('@bulkfill/sandbox')).startSandbox(options);

const DEFAULT_SANDBOX_PORT = 8787;
// Only for the printed curl example; the sandbox serves every supported version.
const EXAMPLE_API_VERSION = '2026-10';

/** The flags as commander hands them over (already converted by the argParsers). */
interface SandboxFlags {
  port: number;
  host?: string;
  orders: number;
  seed: number;
  fixture?: string;
  state?: string;
  plan: SandboxOptions['plan'];
  bucketSize?: number;
  restoreRate?: number;
  timeScale: number;
  faults?: string;
  scopes?: string[];
  cancelDelay?: number;
  json?: boolean;
}

/** `start` is injectable so tests can check flags → options without opening a socket. */
export function sandboxCommand(ctx: Context, start: StartSandbox = startLazily): Command {
  const command = new Command('sandbox')
    .summary('a local Shopify store: the Admin GraphQL API on 127.0.0.1 with test orders')
    .description(
      'Serve a local Shopify store: the Admin GraphQL API on 127.0.0.1, with the same auth, query cost ' +
        'and throttling as Shopify, seeded with test orders. Rehearse runs against it; Ctrl-C stops it.',
    )
    .optionsGroup('Server:')
    .addOption(new Option('--port <n>', 'port on 127.0.0.1; 0 picks a free one').default(DEFAULT_SANDBOX_PORT).argParser(integer(0, 65535)))
    .addOption(new Option('--host <address>', 'loopback address to listen on: 127.0.0.1 (default), ::1 or localhost; never a public one'))
    .addOption(new Option('--json', 'when ready, print one line {"url","token"} on stdout and nothing else'))
    .optionsGroup('Store:')
    .addOption(new Option('--orders <n>', 'number of generated orders').default(200).argParser(integer(0)))
    .addOption(new Option('--seed <n>', 'seed for generated orders and injected faults').default(1).argParser(integer(0, 2 ** 32 - 1)))
    .addOption(new Option('--fixture <file.json>', 'load the store from a JSON fixture instead of generating it').conflicts('orders'))
    .addOption(new Option('--state <file>', 'keep the store in this file: loaded if present, saved as it changes'))
    .optionsGroup('Rate limits and time:')
    .addOption(new Option('--plan <plan>', 'Shopify plan whose rate limits apply').choices(PLAN_NAMES).default('standard'))
    .addOption(new Option('--bucket-size <points>', "override the plan's bucket size").argParser(positiveNumber))
    .addOption(new Option('--restore-rate <points/s>', "override the plan's restore rate").argParser(positiveNumber))
    .addOption(new Option('--time-scale <k>', 'run sandbox time k times faster (bucket refill, jobs, services)').default(1).argParser(positiveNumber))
    .addOption(new Option('--cancel-delay <ms>', 'how long an orderCancel job runs, in sandbox time').argParser(integer(0)))
    .optionsGroup('Faults and access:')
    .addOption(new Option('--faults <spec>', 'inject faults per request, e.g. 503=0.05,429=0.02,reset-after=0.02,slow=0.01'))
    .addOption(new Option('--scopes <list>', 'comma-separated access scopes for the token (default: all; "" for none)').argParser(commaList))
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  $ bulkfill sandbox',
        '  $ bulkfill sandbox --port 0 --json --orders 5000 --time-scale 20',
        '  $ bulkfill sandbox --plan plus --faults 503=0.05,429=0.02 --scopes read_orders,write_orders',
      ].join('\n'),
    );

  return handle(command, async () => {
    const flags = command.opts<SandboxFlags>();
    return runSandbox(toSandboxOptions(flags, ctx.cwd), flags.json === true, ctx, start);
  });
}

export function toSandboxOptions(flags: SandboxFlags, cwd: string): SandboxOptions {
  return {
    port: flags.port,
    host: flags.host,
    orders: flags.orders,
    seed: flags.seed,
    fixturePath: flags.fixture === undefined ? undefined : path.resolve(cwd, flags.fixture),
    statePath: flags.state === undefined ? undefined : path.resolve(cwd, flags.state),
    plan: flags.plan,
    bucketSize: flags.bucketSize,
    restoreRate: flags.restoreRate,
    timeScale: flags.timeScale,
    faults: flags.faults,
    scopes: flags.scopes,
    cancelJobDelayMs: flags.cancelDelay,
  };
}

async function runSandbox(options: SandboxOptions, json: boolean, ctx: Context, start: StartSandbox): Promise<number> {
  if (options.fixturePath !== undefined) await assertReadable(options.fixturePath, '--fixture');
  const sandbox = await startExplained(options, start);
  try {
    if (json) ctx.stdout.write(`${JSON.stringify({ url: sandbox.url, token: sandbox.token })}\n`);
    else ctx.stderr.write(readyText(sandbox, options, ctx));
    const { signal } = ctx.interrupts;
    if (!signal.aborted) await once(signal, 'abort');
    if (!json && !ctx.globals.quiet) ctx.stderr.write('Stopping the sandbox…\n');
  } finally {
    await sandbox.close();
  }
  return ExitCode.Ok;
}

// The sandbox validates what only it knows (fault spec, scope names, a busy port) with SandboxConfigError.
async function startExplained(options: SandboxOptions, start: StartSandbox): Promise<Sandbox> {
  try {
    return await start(options);
  } catch (error) {
    if (error instanceof SandboxConfigError) throw new UsageError(error.message, undefined, { cause: error });
    throw error;
  }
}

async function assertReadable(file: string, flag: string): Promise<void> {
  try {
    await access(file);
  } catch {
    throw new UsageError(`${flag}: cannot read ${file}`);
  }
}

function readyText(sandbox: Sandbox, options: SandboxOptions, ctx: Context): string {
  const style = ctx.chalk.stderr;
  const credentials = [`  URL    ${style.cyan(sandbox.url)}`, `  Token  ${sandbox.token}`];
  if (ctx.globals.quiet) return `${credentials.join('\n')}\n`;
  const endpoint = `${sandbox.url}/admin/api/${EXAMPLE_API_VERSION}/graphql.json`;
  const query = '{"query":"{ orders(first: 3) { nodes { name displayFulfillmentStatus } } }"}';
  return [
    `${style.bold('Sandbox store running')} ${style.dim(`(${describe(options)})`)}`,
    '',
    ...credentials,
    '',
    'Try it:',
    `  curl -s ${endpoint} \\`,
    `    -H 'Content-Type: application/json' -H 'X-Shopify-Access-Token: ${sandbox.token}' \\`,
    `    -d '${query}'`,
    '',
    'Point bulkfill at it:',
    `  export SHOPIFY_STORE=${sandbox.url} SHOPIFY_ACCESS_TOKEN=${sandbox.token}`,
    '',
    style.dim('Ctrl-C to stop.'),
    '',
  ].join('\n');
}

function describe(options: SandboxOptions): string {
  const parts = [
    `plan ${options.plan}`,
    options.fixturePath ? `store from ${path.basename(options.fixturePath)}` : `${options.orders} orders, seed ${options.seed}`,
  ];
  if (options.statePath) parts.push(`state in ${options.statePath}`);
  if (options.bucketSize !== undefined) parts.push(`bucket ${options.bucketSize} points`);
  if (options.restoreRate !== undefined) parts.push(`restore ${options.restoreRate} points/s`);
  if (options.timeScale !== 1) parts.push(`time ×${options.timeScale}`);
  if (options.faults) parts.push(`faults ${options.faults}`);
  if (options.scopes) parts.push(`scopes ${options.scopes.join(',') || 'none'}`);
  return parts.join(', ');
}
