import type { ActionLabels } from '../definition.js';

export const markOpenLabels: ActionLabels = {
  progress: 'Marking open',
  act: 'To mark open',
  factGroups: { method: 'Fulfillment orders by delivery method' },
};
