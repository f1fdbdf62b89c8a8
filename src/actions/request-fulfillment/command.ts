// `bulkfill request-fulfillment`: its own flags, and how they become the action's options.
import { countOf } from '../../ui/format.js';
import { Option } from 'commander';
import type { CommonFlags } from '../common-flags.js';
import { askMessage, askServices, serviceOption } from '../service-flags.js';
import type { ActionSpecFor } from '../definition.js';
import { requestFulfillmentAction } from './action.js';
import { requestFulfillmentLabels } from './labels.js';
import { requestFulfillmentOptions } from './options.js';

interface RequestFulfillmentFlags extends CommonFlags {
  service?: string[];
  message?: string;
  notify?: boolean;
}

export const requestFulfillmentSpec: ActionSpecFor<RequestFulfillmentFlags, typeof requestFulfillmentAction> = {
  action: requestFulfillmentAction,
  labels: requestFulfillmentLabels,
  ...requestFulfillmentOptions,
  cli: {
    summary: 'send fulfillment requests to the chosen fulfillment services',
    description:
      'Submit fulfillment requests (fulfillmentOrderSubmitFulfillmentRequest) for the selected orders’ fulfillment orders at the chosen services.',
    group: 'Request fulfillment:',
    flags: () => [
      serviceOption('request'),
      new Option('--message <text>', 'a message for the service'),
      new Option('--notify', 'email the customers when the service fulfills (off by default)'),
      new Option('--no-notify', 'do not email the customers'),
    ],
    examples: [
      '$ bulkfill request-fulfillment --query "fulfillment_status:unfulfilled" --service acme-3pl',
      '$ cut -d, -f1 orders.csv | bulkfill request-fulfillment --csv - --service acme-3pl --yes --json > result.json',
    ],
  },
  requiredScopes: ['read_orders', 'write_third_party_fulfillment_orders', 'read_merchant_managed_fulfillment_orders'],
  missingFlags: (flags) => (flags.service === undefined ? ['--service'] : []),
  async ask(flags, survey, prompter) {
    const service = flags.service ?? (await askServices(prompter, survey.services, 'Request fulfillment from which services?'));
    // Nothing to request at any service: there is nothing to say to one either.
    if (service.length === 0) return { ...flags, service, notify: flags.notify ?? false };
    const message = flags.message ?? (await askMessage(prompter)) ?? undefined;
    const notify =
      flags.notify ?? (await prompter.confirm({ message: 'Email the customers when the service fulfills their orders?', default: false }));
    return { ...flags, service, ...(message !== undefined ? { message } : {}), notify };
  },
  options: (flags) => ({ services: flags.service!, message: flags.message ?? null, notify: flags.notify ?? false }),
  planNotes: (options) => (options.notify ? ['Customers will be emailed when the service fulfills their orders (--notify).'] : []),
  confirmation: (plan, options) =>
    `Send fulfillment requests for ${countOf(plan.act, 'order')} to ${options.services.join(', ')}?` +
    ' A request cannot be unsent, only withdrawn or cancelled later' +
    (options.notify ? '; customers will be emailed when their orders are fulfilled.' : '.'),
};
