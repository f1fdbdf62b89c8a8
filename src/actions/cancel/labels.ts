import type { ActionLabels } from '../definition.js';

// Its refund facts (`refund:<CUR>`, `store-credit:<CUR>`, `nothing-to-refund`) have rows of their own in the plan.
export const cancelLabels: ActionLabels = { progress: 'Cancelling', act: 'To cancel' };
