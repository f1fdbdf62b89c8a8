// `bulkfill mark-open`: its own flags, and how they become the action's options.
import { countOf } from '../../ui/format.js';
import { InvalidArgumentError, Option } from 'commander';
import { commaList } from '../../util/option-parsers.js';
import type { CommonFlags } from '../common-flags.js';
import type { ActionSpecFor } from '../definition.js';
import { markOpenAction, type DeliveryMethod } from './action.js';
import { markOpenLabels } from './labels.js';
import { markOpenOptions, METHODS } from './options.js';

interface MarkOpenFlags extends CommonFlags {
  method?: DeliveryMethod[];
  includeScheduled?: boolean;
}

export const markOpenSpec: ActionSpecFor<MarkOpenFlags, typeof markOpenAction> = {
  action: markOpenAction,
  labels: markOpenLabels,
  ...markOpenOptions,
  cli: {
    summary: 'fulfillment orders In progress -> Unfulfilled (fulfillmentOrderOpen)',
    description: 'Mark the selected orders’ in-progress fulfillment orders at your own locations as open (unfulfilled) again.',
    group: 'Mark open:',
    flags: () => [
      new Option('--method <methods>', `only these delivery methods: ${METHODS.join(', ')} (comma-separated)`).argParser(methods),
      new Option('--include-scheduled', 'also open scheduled fulfillment orders now'),
    ],
    examples: ['$ bulkfill mark-open 1001 1002 1003', '$ bulkfill mark-open --query "tag:wave-12" --method shipping,local --yes'],
  },
  // Without the third-party read scope, an order a service holds would look as if it had no fulfillment orders.
  requiredScopes: ['read_orders', 'write_merchant_managed_fulfillment_orders', 'read_third_party_fulfillment_orders'],
  missingFlags: () => [],
  // Without --method every method is opened; at a terminal, the methods found are offered first.
  // --yes means "do not ask": every method then.
  asksAnyway: (flags) => flags.method === undefined && flags.yes !== true,
  known: (flags) => ({ includeScheduled: flags.includeScheduled ?? false }),
  async ask(flags, survey, prompter) {
    const found = (Object.entries(survey.methods ?? {}) as [DeliveryMethod, number][])
      .map(([method, count]) => ({ method, count }))
      .sort((a, b) => b.count - a.count);
    if (flags.method !== undefined || found.length <= 1) return flags;
    const method = await prompter.checkbox({
      message: 'Mark open the fulfillment orders of which delivery methods?',
      choices: found.map((m) => ({ name: `${m.method} (${m.count})`, value: m.method, checked: true })),
    });
    return { ...flags, method };
  },
  options: (flags) => ({ methods: flags.method ?? null, includeScheduled: flags.includeScheduled ?? false }),
  planNotes: (options) => (options.includeScheduled ? ['Scheduled fulfillment orders are released now, before their fulfill-at date.'] : []),
  confirmation: (plan) => `Mark the fulfillment orders of ${countOf(plan.act, 'order')} as open (unfulfilled) again?`,
};

function methods(value: string, previous: DeliveryMethod[] = []): DeliveryMethod[] {
  const items = commaList(value);
  const unknown = items.filter((item) => !(METHODS as string[]).includes(item));
  if (unknown.length) throw new InvalidArgumentError(`Unknown delivery method ${unknown.join(', ')}; choose from ${METHODS.join(', ')}.`);
  return [...new Set([...previous, ...(items as DeliveryMethod[])])];
}
