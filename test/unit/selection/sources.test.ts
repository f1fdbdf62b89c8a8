import { Readable } from 'node:stream';

import { describe, expect, it } from 'vitest';

import { concatSources, dedupe, refsFromArguments, refsFromCsv, type SelectionEvent, type SelectionItem } from '../../../src/selection/sources.js';

function show(event: SelectionEvent): string {
  if (event.type === 'problem') return `${event.problem.origin} ! ${event.problem.message} [${event.problem.raw}]`;
  const { ref } = event.item;
  return `${event.item.origin} ${ref.kind === 'id' ? ref.gid.replace('gid://shopify/Order/', 'id:') : `name:${ref.name}`}`;
}

async function shown(events: AsyncIterable<SelectionEvent>): Promise<string[]> {
  const out: string[] = [];
  for await (const event of events) out.push(show(event));
  return out;
}

describe('refsFromArguments', () => {
  it('reads ids, gids and names from arguments and comma lists from --ids', async () => {
    expect(await shown(refsFromArguments(['1001', '#1002', 'gid://shopify/Order/5'], ['6,7', ' 8 , #9,', '10 11']))).toEqual([
      'argument 1 id:1001',
      'argument 2 name:#1002',
      'argument 3 id:5',
      '--ids item 1 id:6',
      '--ids item 2 id:7',
      '--ids item 3 id:8',
      '--ids item 4 name:#9',
      '--ids item 5 id:10',
      '--ids item 6 id:11',
    ]);
  });

  it('reports bad items where they were given and keeps the rest', async () => {
    expect(await shown(refsFromArguments(['', '1,2', 'gid://shopify/Product/1', '7'], ['8,,abc', '', ' , ']))).toEqual([
      'argument 1 ! empty order reference []',
      'argument 2 ! contains a comma; give one order per argument, or use --ids 1,2,3 [1,2]',
      'argument 3 ! a Product gid, not an Order gid; expected gid://shopify/Order/123 [gid://shopify/Product/1]',
      'argument 4 id:7',
      '--ids item 1 id:8',
      expect.stringMatching(/^--ids item 2 ! not an order; .* \[abc\]$/),
      '--ids ! empty value; expected order ids separated by commas, e.g. --ids 1001,1002 []',
      '--ids ! empty value; expected order ids separated by commas, e.g. --ids 1001,1002 [ , ]',
    ]);
  });

  it('yields nothing for no input', async () => {
    expect(await shown(refsFromArguments([], []))).toEqual([]);
  });
});

describe('dedupe and concatSources', () => {
  it('collapses the same gid and the same name (any case, # optional) across sources, keeping the first', async () => {
    const duplicates: SelectionItem[] = [];
    const csv = Readable.from(['Name\nen1001\n1002\n#1003\n']);
    const events = dedupe(
      concatSources(refsFromArguments(['5', 'gid://shopify/Order/5', '#EN1001', '#1002', 'bad!'], ['5,6']), refsFromCsv(csv, 'orders.csv')),
      { onDuplicate: (item) => duplicates.push(item) },
    );
    expect(await shown(events)).toEqual([
      'argument 1 id:5',
      'argument 3 name:#EN1001',
      'argument 4 name:#1002',
      expect.stringMatching(/^argument 5 ! /),
      '--ids item 2 id:6',
      'orders.csv line 4 name:#1003',
    ]);
    expect(duplicates.map((item) => item.origin)).toEqual(['argument 2', '--ids item 1', 'orders.csv line 2', 'orders.csv line 3']);
  });

  it('keeps an id and a name apart (only the store can tell they are the same order)', async () => {
    expect(await shown(dedupe(refsFromArguments(['1001', '#1001'], [])))).toEqual(['argument 1 id:1001', 'argument 2 name:#1001']);
  });

  it('passes every problem through, even repeated ones', async () => {
    expect(await shown(dedupe(refsFromArguments(['x', 'x'], [])))).toHaveLength(2);
  });

  it('starts a source only when the previous one is exhausted', async () => {
    const order: string[] = [];
    async function* source(name: string): AsyncGenerator<SelectionEvent> {
      order.push(`start ${name}`);
      yield { type: 'ref', item: { ref: { kind: 'name', name: `#${name}` }, origin: name } };
      order.push(`end ${name}`);
    }
    for await (const event of concatSources(source('1'), source('2'))) order.push(show(event));
    expect(order).toEqual(['start 1', '1 name:#1', 'end 1', 'start 2', '2 name:#2', 'end 2']);
  });

  it('dedupes 100,000 streamed CSV rows that repeat every order', async () => {
    const source = Readable.from(
      (function* () {
        yield 'Name,Id\n';
        for (let i = 0; i < 100; i++) {
          let chunk = '';
          for (let j = 0; j < 1000; j++) chunk += `#${j},${1_000_000 + (j % 500)}\n`;
          yield chunk;
        }
      })(),
    );
    let refs = 0;
    for await (const event of dedupe(refsFromCsv(source, 'big.csv'))) if (event.type === 'ref') refs++;
    expect(refs).toBe(500);
  });
});
