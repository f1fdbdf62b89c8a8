// request-fulfillment's options as the journal keeps them.
import { z } from 'zod/v4';
import type { OptionsCodec } from '../definition.js';
import { restoreWith } from '../options.js';
import type { RequestFulfillmentOptions } from './action.js';

const recordedRequestFulfillmentOptions = z.object({
  services: z.array(z.string().min(1)),
  message: z.string().nullable(),
  notify: z.boolean(),
}) satisfies z.ZodType<RequestFulfillmentOptions>;

export const requestFulfillmentOptions: OptionsCodec<RequestFulfillmentOptions> = {
  record: (options) => recordedRequestFulfillmentOptions.parse(options),
  restore: (recorded) => restoreWith(recordedRequestFulfillmentOptions, recorded),
  flagsFor: (options) => [
    '--service',
    options.services.join(','),
    ...(options.message ? ['--message', options.message] : []),
    options.notify ? '--notify' : '--no-notify',
  ],
};
