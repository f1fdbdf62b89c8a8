import type { ActionLabels } from '../definition.js';

export const requestFulfillmentLabels: ActionLabels = {
  progress: 'Requesting',
  act: 'To request fulfillment',
  factGroups: { service: 'Fulfillment orders by service' },
};
