// The selection sources' registry: every way to select orders is declared, detected and opened from
// one list, in one order.
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';

import { addCommonFlags } from '../../../src/commands/action/flags.js';
import { SELECTION_SOURCES, selectionReadsStdin, selectsOrders, type SelectionFlagValues } from '../../../src/selection/registry.js';
import { openSelection, searchQuery } from '../../../src/selection/select-orders.js';
import type { SelectionEvent } from '../../../src/selection/sources.js';

const NOW = Date.parse('2026-03-01T12:00:00.000Z');
const DAY = 86_400_000;
const noStdin = { stdin: process.stdin, cwd: process.cwd(), isStdinTTY: true };

/** One way to give each source, alone. */
const EACH: [string, SelectionFlagValues, string[]][] = [
  ['orders', {}, ['1001']],
  ['--ids', { ids: ['1001'] }, []],
  ['--csv', { csv: '-' }, []],
  ['--query', { query: 'tag:vip' }, []],
  ['--older-than', { olderThan: DAY }, []],
];

async function collect(events: AsyncIterable<SelectionEvent>): Promise<string[]> {
  const out: string[] = [];
  for await (const event of events) out.push(event.type === 'ref' ? event.item.origin : `${event.problem.origin}!`);
  return out;
}

describe('SELECTION_SOURCES', () => {
  it('lists the five ways to select orders, in help order', () => {
    expect(SELECTION_SOURCES.map((source) => source.name)).toEqual(EACH.map(([name]) => name));
  });

  it.each(EACH)('%s alone selects orders, and only its own source is given', (name, flags, positional) => {
    expect(selectsOrders(flags, positional)).toBe(true);
    expect(SELECTION_SOURCES.filter((source) => source.given(flags, positional)).map((source) => source.name)).toEqual([name]);
  });

  it('nothing given selects nothing; an empty --ids list is not given', () => {
    expect(selectsOrders({}, [])).toBe(false);
    expect(selectsOrders({ ids: [], strict: true }, [])).toBe(false);
  });

  it('only --csv - reads stdin', () => {
    expect([
      selectionReadsStdin({ csv: '-' }),
      selectionReadsStdin({ csv: 'orders.csv' }),
      selectionReadsStdin({ ids: ['-'] }),
      selectionReadsStdin({}),
    ]).toEqual([true, false, false, false]);
  });

  it('declares each source on an action command: the argument, then its flags under "Orders:" before --limit and --strict', () => {
    const command = addCommonFlags(new Command('probe'));
    expect(command.registeredArguments.map((argument) => argument.name())).toEqual(['orders']);
    const orders = command.options.filter((option) => option.helpGroupHeading === 'Orders:').map((option) => option.long);
    expect(orders).toEqual(['--ids', '--csv', '--query', '--older-than', '--limit', '--strict']);
  });
});

describe('openSelection and searchQuery', () => {
  it('opens only the given sources; references come out in source order, arguments before --ids', async () => {
    const opened = openSelection({ ids: ['7, 8'] }, ['1001'], noStdin);
    expect(opened.map((source) => source.kind)).toEqual(['refs', 'refs']);
    const origins: string[] = [];
    for (const source of opened) if (source.kind === 'refs') origins.push(...(await collect(source.events)));
    expect(origins).toEqual(['argument 1', '--ids item 1', '--ids item 2']);
    expect(searchQuery(NOW, opened)).toBeNull();
  });

  it('a search is --query as written, --older-than as a created_at bound, or both with the query grouped', () => {
    const bound = `created_at:<'${new Date(NOW - DAY).toISOString()}'`;
    expect(searchQuery(NOW, openSelection({ query: 'tag:a OR tag:b' }, [], noStdin))).toBe('tag:a OR tag:b');
    expect(searchQuery(NOW, openSelection({ olderThan: DAY }, [], noStdin))).toBe(bound);
    expect(searchQuery(NOW, openSelection({ query: 'tag:a OR tag:b', olderThan: DAY }, [], noStdin))).toBe(`(tag:a OR tag:b) ${bound}`);
  });

  it('a --csv that cannot be read fails when opened, before anything connects', () => {
    expect(() => openSelection({ csv: '-' }, [], noStdin)).toThrow(/stdin is a terminal/);
  });
});
