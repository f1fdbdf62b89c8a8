// The flags every action shares — which orders, which store, how to run, where results go — so the
// four action commands declare only what is theirs.
import { Command, Option } from 'commander';
import { actionHelpFooter } from '../../cli/help-footer.js';
import { integer } from '../../util/option-parsers.js';
import { SELECTION_SOURCES } from '../../selection/registry.js';
import { SUPPORTED_API_VERSIONS } from '../../shopify/api-versions.js';

export function addCommonFlags(command: Command): Command {
  // Refused by name, so the message can say why and never echo the value (unknown options are echoed).
  const tokenFlag = new Option('--token [value]', 'refused: the token is never a flag value').hideHelp();
  command.on(`option:${tokenFlag.attributeName()}`, () => {
    command.error(
      'error: --token is not accepted: a token given as a flag ends up in shell history and `ps`.\n' +
        'Set SHOPIFY_ACCESS_TOKEN, pass --token-file <path>, or use a profile (--profile <name>).',
      { exitCode: 2, code: 'bulkfill.tokenFlag' },
    );
  });
  command.optionsGroup('Orders:');
  for (const source of SELECTION_SOURCES) source.declare(command);
  return (
    command
      .addOption(new Option('--limit <n>', 'act on at most n orders').argParser(integer(1)))
      .addOption(new Option('--strict', 'refuse the whole selection if any order reference (argument, --ids item, CSV row) is bad'))
      .optionsGroup('Store:')
      .addOption(new Option('--store <shop>', 'shop.myshopify.com, or a sandbox URL like http://127.0.0.1:8787 (env SHOPIFY_STORE)'))
      .addOption(new Option('--token-file <path>', 'read the access token from this file (else env SHOPIFY_ACCESS_TOKEN)'))
      .addOption(tokenFlag)
      .addOption(new Option('--api-version <version>', 'Admin API version (env SHOPIFY_API_VERSION)').choices(SUPPORTED_API_VERSIONS))
      .addOption(new Option('--profile <name>', 'store, token and API version from this profile of the config file (env BULKFILL_PROFILE)'))
      .optionsGroup('Running:')
      .addOption(new Option('--dry-run', 'show the plan and change nothing'))
      .addOption(new Option('-y, --yes', 'go ahead without asking (required when not interactive)'))
      .addOption(new Option('--resume <run>', 'carry on an interrupted run: its id, or "last"'))
      .addOption(new Option('--concurrency <n>', 'requests in flight at most').argParser(integer(1, 256)).hideHelp())
      .addOption(new Option('--timeout <ms>', 'per-request timeout').argParser(integer(100)).hideHelp())
      .addOption(
        new Option('--settle-deadline <ms>', 'how long an accepted cancel may take to show before it counts as unknown')
          .argParser(integer(0))
          .hideHelp(),
      )
      .optionsGroup('Output:')
      .addOption(new Option('--json', 'one JSON document with every order on stdout'))
      .addOption(new Option('--failures <file>', 'write failed orders to this CSV (default: next to the run journal)'))
      // 'afterAll' comes after every 'after' text, so a command's own examples (added later) come first.
      .addHelpText('afterAll', () => `\n${actionHelpFooter()}`)
  );
}
