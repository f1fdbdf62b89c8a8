// cancel-request's options as the journal keeps them.
import { z } from 'zod/v4';
import type { OptionsCodec } from '../definition.js';
import { restoreWith } from '../options.js';
import type { CancelRequestOptions } from './action.js';

const recordedCancelRequestOptions = z.object({
  services: z.array(z.string().min(1)),
  message: z.string().nullable(),
}) satisfies z.ZodType<CancelRequestOptions>;

export const cancelRequestOptions: OptionsCodec<CancelRequestOptions> = {
  record: (options) => recordedCancelRequestOptions.parse(options),
  restore: (recorded) => restoreWith(recordedCancelRequestOptions, recorded),
  flagsFor: (options) => ['--service', options.services.join(','), ...(options.message ? ['--message', options.message] : [])],
};
