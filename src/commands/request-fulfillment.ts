// `bulkfill request-fulfillment`: its own flags, and how they become the action's options.
import { countOf } from '../ui/format.js';
import { Command, Option } from 'commander';
import { requestFulfillmentAction, type RequestFulfillmentOptions } from '../actions/request-fulfillment.js';
import { handle } from '../cli/handle.js';
import type { Context } from '../context.js';
import { addCommonFlags, type CommonFlags } from './action/flags.js';
import { runActionCommand, type ActionCommandSpec } from './action/run-action.js';
import { askMessage, askServices, serviceOption } from './action/service-flags.js';

interface RequestFulfillmentFlags extends CommonFlags {
  service?: string[];
  message?: string;
  notify?: boolean;
}

export const requestFulfillmentSpec: ActionCommandSpec<RequestFulfillmentFlags, RequestFulfillmentOptions> = {
  action: requestFulfillmentAction as ActionCommandSpec<RequestFulfillmentFlags, RequestFulfillmentOptions>['action'],
  label: 'Requesting',
  requiredScopes: ['read_orders', 'write_third_party_fulfillment_orders', 'read_merchant_managed_fulfillment_orders'],
  missingFlags: (flags) => (flags.service === undefined ? ['--service'] : []),
  async ask(flags, survey, prompter) {
    const service = flags.service ?? (await askServices(prompter, survey, 'Request fulfillment from which services?'));
    // Nothing to request at any service: there is nothing to say to one either.
    if (service.length === 0) return { ...flags, service, notify: flags.notify ?? false };
    const message = flags.message ?? (await askMessage(prompter)) ?? undefined;
    const notify =
      flags.notify ?? (await prompter.confirm({ message: 'Email the customers when the service fulfills their orders?', default: false }));
    return { ...flags, service, ...(message !== undefined ? { message } : {}), notify };
  },
  options: (flags) => ({ services: flags.service!, message: flags.message ?? null, notify: flags.notify ?? false }),
  record: (options) => ({ ...options }),
  restore: (recorded) => recorded as unknown as RequestFulfillmentOptions,
  planNotes: (options) => (options.notify ? ['Customers will be emailed when the service fulfills their orders (--notify).'] : []),
  confirmation: (plan, options) =>
    `Send fulfillment requests for ${countOf(plan.act, 'order')} to ${options.services.join(', ')}?` +
    ' A request cannot be unsent, only withdrawn or cancelled later' +
    (options.notify ? '; customers will be emailed when their orders are fulfilled.' : '.'),
  flagsFor: (options) => [
    '--service',
    options.services.join(','),
    ...(options.message ? ['--message', options.message] : []),
    options.notify ? '--notify' : '--no-notify',
  ],
};

export function requestFulfillmentCommand(ctx: Context): Command {
  const command = addCommonFlags(
    new Command('request-fulfillment')
      .summary('send fulfillment requests to the chosen fulfillment services')
      .description('Submit fulfillment requests (fulfillmentOrderSubmitFulfillmentRequest) for the selected orders’ fulfillment orders at the chosen services.'),
  )
    .optionsGroup('Request fulfillment:')
    .addOption(serviceOption('request'))
    .addOption(new Option('--message <text>', 'a message for the service'))
    .addOption(new Option('--notify', 'email the customers when the service fulfills (off by default)'))
    .addOption(new Option('--no-notify', 'do not email the customers'))
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  $ bulkfill request-fulfillment --query "fulfillment_status:unfulfilled" --service acme-3pl',
        '  $ cut -d, -f1 orders.csv | bulkfill request-fulfillment --csv - --service acme-3pl --yes --json > result.json',
      ].join('\n'),
    );
  return handle(command, async () => runActionCommand(ctx, requestFulfillmentSpec, command.opts<RequestFulfillmentFlags>(), command.args));
}
