// cancel's options as the journal keeps them: everything but the API version, which a resumed run
// takes from its connection (the journal header pins it).
import { z } from 'zod/v4';
import type { OptionsCodec } from '../definition.js';
import { restoreWith } from '../options.js';
import { CANCEL_REASONS, REFUND_MODES, type CancelOptions } from './action.js';

export const STAFF_NOTE_MAX = 255;

const recordedCancelOptions = z.object({
  reason: z.enum(CANCEL_REASONS),
  refund: z.enum(REFUND_MODES),
  restock: z.boolean(),
  notify: z.boolean(),
  staffNote: z.string().max(STAFF_NOTE_MAX).nullable(),
  allowPartiallyRefunded: z.boolean(),
}) satisfies z.ZodType<Omit<CancelOptions, 'apiVersion'>>;

export const cancelOptions: OptionsCodec<CancelOptions> = {
  record: ({ apiVersion: _apiVersion, ...options }) => recordedCancelOptions.parse(options),
  restore: (recorded, connection) => ({ ...restoreWith(recordedCancelOptions, recorded), apiVersion: connection.apiVersion }),
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
