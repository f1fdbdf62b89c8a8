// Every action, once, in the order `bulkfill --help` lists them. Adding an action is a folder beside
// this file (action.ts, options.ts, labels.ts, command.ts) and one line here.
import type { OrderSnapshot, PlanFacts } from './action.js';
import type { ActionCommandSpec, RegisteredAction } from './definition.js';
import { cancelRequestSpec } from './cancel-request/command.js';
import { cancelSpec } from './cancel/command.js';
import { markOpenSpec } from './mark-open/command.js';
import { requestFulfillmentSpec } from './request-fulfillment/command.js';

/**
 * An action's own types (flags, options, snapshot, step, survey, facts) matter only inside its folder; the engine and
 * the command flow see them as the action hands them back. Erased here, once, for every action.
 */
function register<Flags, Options, Snapshot extends OrderSnapshot, Step, Survey extends object, Facts extends PlanFacts>(
  spec: ActionCommandSpec<Flags, Options, Snapshot, Step, Survey, Facts>,
): RegisteredAction {
  return spec as unknown as RegisteredAction;
}

export const ACTIONS: readonly RegisteredAction[] = [
  register(markOpenSpec),
  register(cancelSpec),
  register(requestFulfillmentSpec),
  register(cancelRequestSpec),
];

export function actionNamed(name: string): RegisteredAction {
  const found = ACTIONS.find((entry) => entry.action.name === name);
  if (!found) throw new Error(`No action ${name}`);
  return found;
}
