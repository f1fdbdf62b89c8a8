import type { ActionLabels } from '../definition.js';

// Its refund facts (CancelFacts: `refund`, `store-credit`, `nothing-to-refund`) have rows of their own in the plan.
export const cancelLabels: ActionLabels = { progress: 'Cancelling', act: 'To cancel' };
