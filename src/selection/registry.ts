// The ways a command can name orders, each declared once: its argument or flag, whether it was given,
// what is checked before connecting, and how it is read. Whatever asks "which flags select orders" (the
// action commands' flags, preflight.ts, select-orders.ts, the messages of the action commands) iterates
// SELECTION_SOURCES, so a new way to select is one entry here.

import { type Command, Option } from 'commander';

import { duration } from '../util/duration.js';
import { openCsvInput, type CsvInputContext } from './open-input.js';
import { checkQueryText } from './query-text.js';
import { argumentEvents, refsFromArguments, refsFromCsv, type SelectionEvent } from './sources.js';

/** The selection flags, as the action commands' CommonFlags hold them. */
export interface SelectionFlagValues {
  ids?: string[] | undefined;
  csv?: string | undefined;
  query?: string | undefined;
  olderThan?: number | undefined;
  strict?: boolean | undefined;
}

/** One part of the search the search sources make together. */
export interface SearchTerm {
  text: string;
  /** False for a user's search: it is parenthesised when combined, so its ORs stay inside. */
  atomic: boolean;
}

/**
 * A given source, opened before connecting. Order references are resolved to orders in the order of
 * SELECTION_SOURCES; search terms make one search, built when the selection is read.
 */
export type OpenedSource = { kind: 'refs'; events: AsyncIterable<SelectionEvent> } | { kind: 'search'; term(now: number): SearchTerm };

export interface SelectionSource {
  /** How a message naming what selects orders calls it: "orders", "--ids". */
  name: string;
  /** How the hint for a command that selects nothing shows it: "order ids or names", "--csv <file|->". */
  usage: string;
  /** Adds its argument or option to an action command (under the "Orders:" heading). */
  declare(command: Command): void;
  given(flags: SelectionFlagValues, positional: readonly string[]): boolean;
  /** A check needing neither a file nor the store: throws a UsageError. Only called when given. */
  preflight?(flags: SelectionFlagValues): void;
  /** The order references it holds, for a source read from the command line: checked together before connecting (preflight.ts). */
  commandLine?(flags: SelectionFlagValues, positional: readonly string[]): Iterable<SelectionEvent>;
  /** Whether it reads stdin: then stdin answers no question and takes no key press. */
  readsStdin?(flags: SelectionFlagValues): boolean;
  /** Only called when given, after every preflight; may throw a UsageError (a CSV that cannot be read). */
  open(flags: SelectionFlagValues, positional: readonly string[], ctx: CsvInputContext): OpenedSource;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** In help order; references are read in this order too. */
export const SELECTION_SOURCES: readonly SelectionSource[] = [
  {
    name: 'orders',
    usage: 'order ids or names',
    declare: (command) => void command.argument('[orders...]', 'order ids, GIDs or names (#1001)'),
    given: (_, positional) => positional.length > 0,
    commandLine: (_, positional) => argumentEvents(positional, []),
    open: (_, positional) => ({ kind: 'refs', events: refsFromArguments(positional, []) }),
  },
  {
    name: '--ids',
    usage: '--ids',
    declare: (command) =>
      void command.addOption(new Option('--ids <list>', 'comma-separated order ids, GIDs or names (repeatable)').argParser(collect)),
    given: (flags) => (flags.ids?.length ?? 0) > 0,
    commandLine: (flags) => argumentEvents([], flags.ids ?? []),
    open: (flags) => ({ kind: 'refs', events: refsFromArguments([], flags.ids ?? []) }),
  },
  {
    name: '--csv',
    usage: '--csv <file|->',
    declare: (command) => void command.addOption(new Option('--csv <file|->', 'read orders from a CSV file, or - for stdin')),
    given: (flags) => flags.csv !== undefined,
    readsStdin: (flags) => flags.csv === '-',
    open: (flags, _, ctx) => {
      // A path that cannot be read fails here, before anything connects; the rows are read with the selection.
      const csv = openCsvInput(flags.csv!, ctx);
      return { kind: 'refs', events: refsFromCsv(csv.stream, csv.label) };
    },
  },
  {
    name: '--query',
    usage: '--query "<search>"',
    declare: (command) =>
      void command.addOption(new Option('--query <search>', 'select with Shopify order search syntax, e.g. "financial_status:pending"')),
    given: (flags) => flags.query !== undefined,
    preflight: (flags) => checkQueryText(flags.query!),
    open: (flags) => {
      const text = flags.query!;
      return { kind: 'search', term: () => ({ text, atomic: false }) };
    },
  },
  {
    name: '--older-than',
    usage: '--older-than <duration>',
    declare: (command) =>
      void command.addOption(
        new Option('--older-than <duration>', 'only orders created before now minus this (30m, 48h, 7d, 2w)').argParser(duration),
      ),
    given: (flags) => flags.olderThan !== undefined,
    open: (flags) => {
      const ms = flags.olderThan!;
      // A bound computed when the selection is read, not when the command started.
      return { kind: 'search', term: (now) => ({ text: `created_at:<'${new Date(now - ms).toISOString()}'`, atomic: true }) };
    },
  },
];

/** Whether the command names orders in any way. */
export function selectsOrders(flags: SelectionFlagValues, positional: readonly string[]): boolean {
  return SELECTION_SOURCES.some((source) => source.given(flags, positional));
}

/** Whether a source reads the orders from stdin (`--csv -`). */
export function selectionReadsStdin(flags: SelectionFlagValues): boolean {
  return SELECTION_SOURCES.some((source) => source.readsStdin?.(flags) === true);
}
