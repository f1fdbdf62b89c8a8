// What can be checked about the selection before connecting to the store: each given source's own
// check (the --query text), and the order references on the command line. A failure here is a
// UsageError (exit 2) and nothing has been sent anywhere. CSV rows are read later, as a stream (see
// sources.ts and strict.ts).

import { SELECTION_SOURCES, type SelectionFlagValues } from './registry.js';
import type { SelectionProblem } from './sources.js';
import { selectionError, STRICT_HINT } from './strict.js';

/**
 * Throws a UsageError when a source's check fails (e.g. the --query text cannot be a search), when a
 * command-line order reference is bad under --strict, or when every one of them is bad and nothing
 * else selects orders. Otherwise a bad argument is left to be reported with the run, and the good
 * ones go on.
 */
export function preflightSelection(flags: SelectionFlagValues, positional: readonly string[]): void {
  const given = SELECTION_SOURCES.filter((source) => source.given(flags, positional));
  for (const source of given) source.preflight?.(flags);
  const problems: SelectionProblem[] = [];
  let refs = 0;
  for (const source of given) {
    for (const event of source.commandLine?.(flags, positional) ?? []) {
      if (event.type === 'problem') problems.push(event.problem);
      else refs++;
    }
  }
  if (problems.length === 0) return;
  if (flags.strict) throw selectionError(problems, STRICT_HINT);
  const otherSources = given.some((source) => source.commandLine === undefined);
  if (refs === 0 && !otherSources) throw selectionError(problems);
}
