// `bulkfill cancel-request`: its own flags, and how they become the action's options.
import { countOf } from '../../ui/format.js';
import { Option } from 'commander';
import type { CommonFlags } from '../common-flags.js';
import { askMessage, askServices, serviceOption } from '../service-flags.js';
import type { ActionSpecFor } from '../definition.js';
import { cancelRequestAction } from './action.js';
import { cancelRequestLabels } from './labels.js';
import { cancelRequestOptions } from './options.js';

interface CancelRequestFlags extends CommonFlags {
  service?: string[];
  message?: string;
}

export const cancelRequestSpec: ActionSpecFor<CancelRequestFlags, typeof cancelRequestAction> = {
  action: cancelRequestAction,
  labels: cancelRequestLabels,
  ...cancelRequestOptions,
  cli: {
    summary: 'withdraw / cancel pending fulfillment requests at the chosen fulfillment services',
    description: [
      'Stop fulfillment services working on the selected orders:',
      '  - a request the service accepted gets a cancellation request (the service must agree);',
      '  - a request it has not accepted yet is withdrawn at once.',
      'Run it again later to see which cancellation requests the services accepted or rejected.',
    ].join('\n'),
    group: 'Cancel requests:',
    flags: () => [serviceOption('stop the requests'), new Option('--message <text>', 'a message for the service, with the cancellation request')],
    examples: [
      '$ bulkfill cancel-request "#1001" "#1002" --service acme-3pl --message "customer cancelled"',
      '$ bulkfill cancel-request --query "tag:hold" --service acme-3pl --yes',
    ],
  },
  requiredScopes: ['read_orders', 'write_third_party_fulfillment_orders', 'read_merchant_managed_fulfillment_orders'],
  missingFlags: (flags) => (flags.service === undefined ? ['--service'] : []),
  async ask(flags, survey, prompter) {
    const service = flags.service ?? (await askServices(prompter, survey.services, 'Stop the requests at which services?'));
    // Withdrawals carry no message: ask only when a cancellation request will be sent.
    const asks = flags.message === undefined && (survey.cancellationRequests ?? 0) > 0;
    const message = asks ? ((await askMessage(prompter)) ?? undefined) : flags.message;
    return { ...flags, service, ...(message !== undefined ? { message } : {}) };
  },
  options: (flags) => ({ services: flags.service!, message: flags.message ?? null }),
  planNotes: () => ['A withdrawal is not sent to the service: one that already picked up the request may still ship it.'],
  confirmation: (plan, options) =>
    `Stop ${options.services.join(', ')} working on ${countOf(plan.act, 'order')}? Pending requests are withdrawn at once (that cannot be undone); accepted ones get a cancellation request.`,
};
