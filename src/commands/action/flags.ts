// The flags every action shares — which orders, which store, how to run, where results go — so the
// four action commands declare only what is theirs.
import { Command, Option } from 'commander';
import { duration } from '../../cli/duration.js';
import { integer } from '../../cli/option-parsers.js';
import { SUPPORTED_API_VERSIONS } from '../../shopify/api-versions.js';

export interface CommonFlags {
  ids?: string[];
  csv?: string;
  query?: string;
  olderThan?: number;
  limit?: number;
  store?: string;
  tokenFile?: string;
  apiVersion?: string;
  dryRun?: boolean;
  yes?: boolean;
  json?: boolean;
  failures?: string;
  resume?: string;
  concurrency?: number;
  timeout?: number;
  settleDeadline?: number;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function addCommonFlags(command: Command): Command {
  return command
    .argument('[orders...]', 'order ids, GIDs or names (#1001)')
    .optionsGroup('Orders:')
    .addOption(new Option('--ids <list>', 'comma-separated order ids, GIDs or names (repeatable)').argParser(collect))
    .addOption(new Option('--csv <file|->', 'read orders from a CSV file, or - for stdin'))
    .addOption(new Option('--query <search>', 'select with Shopify order search syntax, e.g. "financial_status:pending"'))
    .addOption(new Option('--older-than <duration>', 'only orders created before now minus this (30m, 48h, 7d, 2w)').argParser(duration))
    .addOption(new Option('--limit <n>', 'act on at most n orders').argParser(integer(1)))
    .optionsGroup('Store:')
    .addOption(new Option('--store <shop>', 'shop.myshopify.com, or a sandbox URL like http://127.0.0.1:8787 (env SHOPIFY_STORE)'))
    .addOption(new Option('--token-file <path>', 'read the access token from this file (else env SHOPIFY_ACCESS_TOKEN)'))
    .addOption(new Option('--api-version <version>', 'Admin API version').choices(SUPPORTED_API_VERSIONS))
    .optionsGroup('Running:')
    .addOption(new Option('--dry-run', 'show the plan and change nothing'))
    .addOption(new Option('-y, --yes', 'go ahead without asking (required when not interactive)'))
    .addOption(new Option('--resume <run>', 'carry on an interrupted run: its id, or "last"'))
    .addOption(new Option('--concurrency <n>', 'requests in flight at most').argParser(integer(1, 256)).hideHelp())
    .addOption(new Option('--timeout <ms>', 'per-request timeout').argParser(integer(100)).hideHelp())
    .addOption(
      new Option('--settle-deadline <ms>', 'how long an accepted cancel may take to show before it counts as unknown').argParser(integer(0)).hideHelp(),
    )
    .optionsGroup('Output:')
    .addOption(new Option('--json', 'one JSON document with every order on stdout'))
    .addOption(new Option('--failures <file>', 'write failed orders to this CSV (default: next to the run journal)'));
}
