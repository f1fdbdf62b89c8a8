// `bulkfill cancel`: its own flags, and how they become cancel's options. Everything else is the
// shared action flow (commands/action/run-action.ts).
import { countOf, moneyOf } from '../../ui/format.js';
import { InvalidArgumentError, Option } from 'commander';
import type { CommonFlags } from '../common-flags.js';
import type { Choice } from '../../context.js';
import type { Tally } from '../action.js';
import type { ActionSpecFor } from '../definition.js';
import { CANCEL_REASONS, cancelAction, REFUND_MODES, type CancelReason, type RefundMode } from './action.js';
import { cancelLabels } from './labels.js';
import { cancelOptions, STAFF_NOTE_MAX } from './options.js';

export interface CancelFlags extends CommonFlags {
  reason?: CancelReason;
  refund?: RefundMode;
  restock?: boolean;
  notify?: boolean;
  staffNote?: string;
  allowPartiallyRefunded?: boolean;
}

const REASON_CHOICES: Choice<CancelReason>[] = [
  { name: 'Customer changed or cancelled the order', value: 'customer' },
  { name: 'Payment declined', value: 'declined' },
  { name: 'Fraudulent order', value: 'fraud' },
  { name: 'Items unavailable', value: 'inventory' },
  { name: 'Staff error', value: 'staff' },
  { name: 'Other', value: 'other' },
];

const REFUND_CHOICES: Choice<RefundMode>[] = [
  { name: 'Refund now, to the original payment methods', value: 'now' },
  { name: 'Refund as store credit', value: 'store-credit' },
  { name: "Don't refund now (refund later from the admin)", value: 'later' },
];

/** "USD 1,234.50, EUR 99.00" from the survey's sums by currency. */
function capturedTotals(amounts: Readonly<Tally> = {}): string {
  return (Object.entries(amounts) as [string, number][]).map(([currency, amount]) => moneyOf(amount, currency)).join(', ');
}

export const cancelSpec: ActionSpecFor<CancelFlags, typeof cancelAction> = {
  action: cancelAction,
  labels: cancelLabels,
  ...cancelOptions,
  cli: {
    summary: 'cancel orders: refund now / store credit / later, restock, notify, reason',
    description: 'Cancel the selected orders with orderCancel, confirming each cancellation before reporting it done.',
    group: 'Cancel:',
    flags: () => [
      new Option('--reason <reason>', 'why the orders are cancelled').choices(CANCEL_REASONS),
      new Option('--refund <mode>', 'now (original payment method), store-credit, or later (no refund now)').choices(REFUND_MODES),
      new Option('--restock', 'put the items back in stock'),
      new Option('--no-restock', 'leave stock as it is'),
      new Option('--notify', 'email the customers (off by default: emails cannot be unsent)'),
      new Option('--no-notify', 'do not email the customers'),
      new Option('--staff-note <text>', `a note for staff (at most ${STAFF_NOTE_MAX} characters)`).argParser(staffNote),
      new Option('--allow-partially-refunded', 'also refund orders that were partly refunded before'),
    ],
    examples: [
      '$ bulkfill cancel 1001 "#1002" --reason fraud --refund now --restock',
      '$ cut -d, -f1 fraud.csv | bulkfill cancel --csv - --reason fraud --refund now --no-restock --yes --json',
      '$ bulkfill cancel --query "financial_status:pending" --older-than 48h --reason declined \\',
      '    --refund later --no-restock --no-notify --yes --failures /var/log/bulkfill/failed.csv',
      '$ bulkfill cancel --resume last',
    ],
  },
  requiredScopes: ['write_orders', 'read_merchant_managed_fulfillment_orders', 'read_third_party_fulfillment_orders'],
  missingFlags: (flags) => [
    ...(flags.reason === undefined ? ['--reason'] : []),
    ...(flags.refund === undefined ? ['--refund'] : []),
    ...(flags.restock === undefined ? ['--restock or --no-restock'] : []),
  ],
  known: (flags) => (flags.refund ? { refund: flags.refund } : {}),
  async ask(flags, survey, prompter) {
    const captured = survey.captured ?? 0;
    const reason = flags.reason ?? (await prompter.select({ message: 'Why are these orders cancelled?', choices: REASON_CHOICES }));
    const refund =
      flags.refund ??
      (captured === 0
        ? 'later' // nothing was paid: there is nothing to refund, so nothing to ask
        : await prompter.select({
            message: `Refund the ${countOf(captured, 'order')} with captured payments (${capturedTotals(survey.capturedAmounts)})?`,
            choices: REFUND_CHOICES,
          }));
    const restock = flags.restock ?? (await prompter.confirm({ message: 'Put the items back in stock?', default: true }));
    const notify = flags.notify ?? (await prompter.confirm({ message: 'Email the customers that their orders were cancelled?', default: false }));
    return { ...flags, reason, refund, restock, notify };
  },
  options: (flags, connection) => ({
    reason: flags.reason!,
    refund: flags.refund!,
    restock: flags.restock!,
    notify: flags.notify ?? false,
    staffNote: flags.staffNote ?? null,
    allowPartiallyRefunded: flags.allowPartiallyRefunded ?? false,
    apiVersion: connection.apiVersion,
  }),
  planNotes: (options) => [
    options.notify ? 'Customers will be emailed about the cancellation (--notify); emails cannot be unsent.' : 'No customer emails (--no-notify).',
  ],
  confirmation(plan, options) {
    const refunds = [plan.facts.refund, plan.facts['store-credit']]
      .flatMap((amounts) => Object.entries(amounts ?? {}) as [string, number][])
      .map(([currency, amount]) => moneyOf(amount, currency));
    const refund = refunds.length ? `, refunding ${refunds.join(' and ')}${options.refund === 'store-credit' ? ' as store credit' : ''}` : '';
    const email = options.notify ? ' and email their customers' : '';
    return `Cancel ${countOf(plan.act, 'order')}${refund}${email}? Cancelling cannot be undone.`;
  },
};

function staffNote(value: string): string {
  if (value.length > STAFF_NOTE_MAX) throw new InvalidArgumentError(`At most ${STAFF_NOTE_MAX} characters.`);
  return value;
}
