// mark-open's options as the journal keeps them.
import { z } from 'zod/v4';
import type { OptionsCodec } from '../definition.js';
import { restoreWith } from '../options.js';
import { DELIVERY_METHODS, type DeliveryMethod, type MarkOpenOptions } from './action.js';

export const METHODS = Object.keys(DELIVERY_METHODS) as DeliveryMethod[];

const recordedMarkOpenOptions = z.object({
  methods: z.array(z.enum(METHODS as [DeliveryMethod, ...DeliveryMethod[]])).nullable(),
  includeScheduled: z.boolean(),
}) satisfies z.ZodType<MarkOpenOptions>;

export const markOpenOptions: OptionsCodec<MarkOpenOptions> = {
  record: (options) => recordedMarkOpenOptions.parse(options),
  restore: (recorded) => restoreWith(recordedMarkOpenOptions, recorded),
  flagsFor: (options) => [
    ...(options.methods ? ['--method', options.methods.join(',')] : []),
    ...(options.includeScheduled ? ['--include-scheduled'] : []),
  ],
};
