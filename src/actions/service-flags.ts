// --service, shared by the commands that act at fulfillment services (request-fulfillment,
// cancel-request): the flag, and the question offering only the services the selection holds.
import { InvalidArgumentError, Option } from 'commander';
import { ranked, type Tally } from './action.js';
import { commaList } from '../util/option-parsers.js';
import { countOf } from '../ui/format.js';
import type { Prompter } from '../context.js';
import { safeForTerminal } from '../ui/terminal-text.js';

function collectServices(value: string, previous: string[] = []): string[] {
  const handles = commaList(value);
  if (handles.length === 0) throw new InvalidArgumentError('Expected a service handle, e.g. acme-3pl.');
  return [...new Set([...previous, ...handles])];
}

export function serviceOption(what: string): Option {
  return new Option('--service <handle>', `${what} at this fulfillment service (its handle; comma-separated or repeated)`).argParser(collectServices);
}

/**
 * The services to act at: a checkbox of those found (surveyed, with how many fulfillment orders each
 * has); with just one there is nothing to choose.
 */
export async function askServices(prompter: Prompter, services: Tally | undefined, message: string): Promise<string[]> {
  const found = ranked(services).map(({ value, count }) => ({ handle: value, count }));
  if (found.length <= 1) return found.map((s) => s.handle);
  return prompter.checkbox({
    message,
    choices: found.map((s) => ({ name: `${safeForTerminal(s.handle)} (${countOf(s.count, 'fulfillment order')})`, value: s.handle })),
  });
}

/** The optional message to the services; empty means none. */
export async function askMessage(prompter: Prompter): Promise<string | null> {
  const text = await prompter.input({ message: 'A message for the service (optional):', default: '' });
  return text.trim() === '' ? null : text.trim();
}
