import type { ActionLabels } from '../definition.js';

export const cancelRequestLabels: ActionLabels = {
  progress: 'Stopping requests',
  act: 'To cancel requests',
  factGroups: { 'request-cancellation': 'Cancellation requests to send', withdraw: 'Requests to withdraw' },
};
