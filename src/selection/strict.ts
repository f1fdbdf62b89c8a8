// `--strict`: any bad order reference (argument, --ids item or CSV row) stops the run before any order
// is looked up or acted on. Without it a bad row is reported at the end and the good rows go on.

import { UsageError } from '../errors.js';
import { printable } from './order-ref.js';
import type { SelectionEvent, SelectionProblem } from './sources.js';

/** A UsageError lists at most this many problems, then a count of the rest. */
export const SHOWN_PROBLEMS = 20;

export const STRICT_HINT =
  '--strict refuses the whole selection when any order reference is bad; fix them, or drop --strict to act on the valid ones.';

/**
 * The events unchanged when `strict` is false. When true, every source is read to the end first
 * (holding the refs: one short string each), and any problem throws one UsageError listing them, so
 * nothing downstream (name lookups, the plan, the actions) ever starts on a selection with a bad row.
 */
export async function* strictSelection(events: AsyncIterable<SelectionEvent>, strict = false): AsyncGenerator<SelectionEvent> {
  if (!strict) {
    yield* events;
    return;
  }
  const refs: SelectionEvent[] = [];
  const problems: SelectionProblem[] = [];
  for await (const event of events) {
    if (event.type === 'problem') problems.push(event.problem);
    else refs.push(event);
  }
  if (problems.length > 0) throw selectionError(problems, STRICT_HINT);
  yield* refs;
}

/** One UsageError naming each problem where it was found: "orders.csv line 14 "abc": not an order; …". */
export function selectionError(problems: readonly SelectionProblem[], hint?: string): UsageError {
  const lines = problems.slice(0, SHOWN_PROBLEMS).map(describeProblem);
  if (problems.length > SHOWN_PROBLEMS) lines.push(`… and ${problems.length - SHOWN_PROBLEMS} more`);
  const head = problems.length === 1 ? 'A bad order reference' : `${problems.length} bad order references`;
  return new UsageError(`${head}; no order was acted on:\n${lines.map((line) => `  ${line}`).join('\n')}`, hint);
}

export function describeProblem(problem: SelectionProblem): string {
  const raw = problem.raw.trim() === '' ? '' : ` "${printable(problem.raw.trim(), 40)}"`;
  return `${problem.origin}${raw}: ${problem.message}`;
}
