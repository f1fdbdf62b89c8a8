// `bulkfill cancel`: its own flags, and how they become cancel's options. Everything else is the
// shared action flow (action/run-action.ts).
import { countOf, moneyOf } from '../ui/format.js';
import { Command, InvalidArgumentError, Option } from 'commander';
import { CANCEL_REASONS, cancelAction, REFUND_MODES, type CancelOptions, type CancelReason, type RefundMode } from '../actions/cancel.js';
import { handle } from '../cli/handle.js';
import type { Context } from '../context.js';
import type { Connection } from '../config/credentials.js';
import type { Choice } from '../ui/prompter.js';
import { addCommonFlags, type CommonFlags } from './action/flags.js';
import { runActionCommand, type ActionCommandSpec } from './action/run-action.js';

interface CancelFlags extends CommonFlags {
  reason?: CancelReason;
  refund?: RefundMode;
  restock?: boolean;
  notify?: boolean;
  staffNote?: string;
  allowPartiallyRefunded?: boolean;
}

const STAFF_NOTE_MAX = 255;

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

/** "USD 1,234.50, EUR 99.00" from the survey's `captured:<currency>` sums. */
function capturedTotals(survey: ReadonlyMap<string, number>): string {
  return [...survey]
    .filter(([key]) => key.startsWith('captured:'))
    .map(([key, amount]) => moneyOf(amount, key.slice('captured:'.length)))
    .join(', ');
}

export const cancelSpec: ActionCommandSpec<CancelFlags, CancelOptions> = {
  action: cancelAction as ActionCommandSpec<CancelFlags, CancelOptions>['action'],
  label: 'Cancelling',
  requiredScopes: ['write_orders', 'read_merchant_managed_fulfillment_orders', 'read_third_party_fulfillment_orders'],
  missingFlags: (flags) => [
    ...(flags.reason === undefined ? ['--reason'] : []),
    ...(flags.refund === undefined ? ['--refund'] : []),
    ...(flags.restock === undefined ? ['--restock or --no-restock'] : []),
  ],
  known: (flags) => (flags.refund ? { refund: flags.refund } : {}),
  async ask(flags, survey, prompter) {
    const captured = survey.get('captured') ?? 0;
    const reason = flags.reason ?? (await prompter.select({ message: 'Why are these orders cancelled?', choices: REASON_CHOICES }));
    const refund =
      flags.refund ??
      (captured === 0
        ? 'later' // nothing was paid: there is nothing to refund, so nothing to ask
        : await prompter.select({
            message: `Refund the ${countOf(captured, 'order')} with captured payments (${capturedTotals(survey)})?`,
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
  record: ({ apiVersion: _apiVersion, ...options }) => ({ ...options }),
  restore: (recorded, connection: Connection) => ({ ...(recorded as Omit<CancelOptions, 'apiVersion'>), apiVersion: connection.apiVersion }),
  planNotes: (options) => [
    options.notify ? 'Customers will be emailed about the cancellation (--notify); emails cannot be unsent.' : 'No customer emails (--no-notify).',
  ],
  confirmation(plan, options) {
    const refunds = [...plan.facts]
      .filter(([key]) => key.startsWith('refund:') || key.startsWith('store-credit:'))
      .map(([key, amount]) => moneyOf(amount, key.slice(key.indexOf(':') + 1)));
    const refund = refunds.length ? `, refunding ${refunds.join(' and ')}${options.refund === 'store-credit' ? ' as store credit' : ''}` : '';
    const email = options.notify ? ' and email their customers' : '';
    return `Cancel ${countOf(plan.act, 'order')}${refund}${email}? Cancelling cannot be undone.`;
  },
  flagsFor: (options) => [
    '--reason',
    options.reason,
    '--refund',
    options.refund,
    options.restock ? '--restock' : '--no-restock',
    options.notify ? '--notify' : '--no-notify',
    ...(options.staffNote ? ['--staff-note', options.staffNote] : []),
    ...(options.allowPartiallyRefunded ? ['--allow-partially-refunded'] : []),
  ],
};

export function cancelCommand(ctx: Context): Command {
  const command = addCommonFlags(
    new Command('cancel')
      .summary('cancel orders: refund now / store credit / later, restock, notify, reason')
      .description('Cancel the selected orders with orderCancel, confirming each cancellation before reporting it done.'),
  )
    .optionsGroup('Cancel:')
    .addOption(new Option('--reason <reason>', 'why the orders are cancelled').choices(CANCEL_REASONS))
    .addOption(new Option('--refund <mode>', 'now (original payment method), store-credit, or later (no refund now)').choices(REFUND_MODES))
    .addOption(new Option('--restock', 'put the items back in stock'))
    .addOption(new Option('--no-restock', 'leave stock as it is'))
    .addOption(new Option('--notify', 'email the customers (off by default: emails cannot be unsent)'))
    .addOption(new Option('--no-notify', 'do not email the customers'))
    .addOption(new Option('--staff-note <text>', `a note for staff (at most ${STAFF_NOTE_MAX} characters)`).argParser(staffNote))
    .addOption(new Option('--allow-partially-refunded', 'also refund orders that were partly refunded before'))
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  $ bulkfill cancel 1001 "#1002" --reason fraud --refund now --restock',
        '  $ cut -d, -f1 fraud.csv | bulkfill cancel --csv - --reason fraud --refund now --no-restock --yes --json',
        '  $ bulkfill cancel --query "financial_status:pending" --older-than 48h --reason declined \\',
        '      --refund later --no-restock --no-notify --yes --failures /var/log/bulkfill/failed.csv',
        '  $ bulkfill cancel --resume last',
      ].join('\n'),
    );
  return handle(command, async () => runActionCommand(ctx, cancelSpec, command.opts<CancelFlags>(), command.args));
}

function staffNote(value: string): string {
  if (value.length > STAFF_NOTE_MAX) throw new InvalidArgumentError(`At most ${STAFF_NOTE_MAX} characters.`);
  return value;
}
