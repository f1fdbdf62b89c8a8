import { Readable } from 'node:stream';

import { describe, expect, it } from 'vitest';

import { UsageError } from '../../../src/errors.js';
import { dedupe, refsFromCsv, type SelectionEvent } from '../../../src/selection/sources.js';

/** One line per event: "origin ref" or "origin ! message". */
function show(event: SelectionEvent): string {
  if (event.type === 'problem') return `${event.problem.origin} ! ${event.problem.message}`;
  const { ref } = event.item;
  return `${event.item.origin} ${ref.kind === 'id' ? ref.gid.replace('gid://shopify/Order/', 'id:') : `name:${ref.name}`}`;
}

async function collect(events: AsyncIterable<SelectionEvent>): Promise<SelectionEvent[]> {
  const out: SelectionEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

async function csv(content: string | Buffer | (string | Buffer)[], label = 'f.csv'): Promise<string[]> {
  const chunks = (Array.isArray(content) ? content : [content]).map((c) => (typeof c === 'string' ? Buffer.from(c) : c));
  return (await collect(refsFromCsv(Readable.from(chunks), label))).map(show);
}

describe('refsFromCsv: headers', () => {
  it("reads Shopify's orders export by its Id column; follow-on line-item rows repeat the order", async () => {
    const content = [
      'Name,Email,Financial Status,Lineitem name,Id',
      '#1001,a@example.com,paid,"Shirt, blue",5001',
      '#1001,a@example.com,,"Hat ""wool""",5001',
      '#1002,b@example.com,paid,Mug,5002',
      // Order-level cells (here Id) may be blank on follow-on rows: they are not new orders.
      '#1002,,,Spoon,',
      // No id anywhere for this order: its name is used.
      '#1003,c@example.com,paid,Plate,',
      '#1003,,,Fork,',
    ].join('\n');
    expect(await csv(content)).toEqual([
      'f.csv line 2 id:5001',
      'f.csv line 3 id:5001',
      'f.csv line 4 id:5002',
      'f.csv line 6 name:#1003',
      'f.csv line 7 name:#1003',
    ]);
    expect((await collect(dedupe(refsFromCsv(Readable.from([content]), 'f.csv')))).map(show)).toEqual([
      'f.csv line 2 id:5001',
      'f.csv line 4 id:5002',
      'f.csv line 6 name:#1003',
    ]);
  });

  it.each([
    ['id', 'id'],
    ['ID', 'id'],
    [' Order ID ', 'id'],
    ['order_id', 'id'],
    ['order-id', 'id'],
    ['GID', 'id'],
  ])('header %j is an id column: bare numbers are ids', async (header) => {
    expect(await csv(`note,${header}\nx,123\ny,gid://shopify/Order/7\n`)).toEqual(['f.csv line 2 id:123', 'f.csv line 3 id:7']);
  });

  it.each(['name', 'Name', 'ORDER', 'order_name', 'Order Name'])('header %j is a name column: bare numbers are names', async (header) => {
    expect(await csv(`${header}\n1001\n#1002\nEN1003\n`)).toEqual(['f.csv line 2 name:1001', 'f.csv line 3 name:#1002', 'f.csv line 4 name:EN1003']);
  });

  it('prefers the id column wherever it stands, and id over gid', async () => {
    expect(await csv('Name,gid,Id\n#1,gid://shopify/Order/9,5\n')).toEqual(['f.csv line 2 id:5']);
  });

  it('reports a row with content but no order in the columns read', async () => {
    expect(await csv('Id,Name,Note\n,,hello\n5,#5,\n')).toEqual(['f.csv line 2 ! no order in the "Id" or "Name" column', 'f.csv line 3 id:5']);
  });

  it('skips rows whose cells are all empty', async () => {
    expect(await csv('Id,Name\n,,\n , \n5,#5\n')).toEqual(['f.csv line 4 id:5']);
  });

  it('tolerates ragged rows', async () => {
    expect(await csv('Note,Id\nonly-one-cell\nx,5,extra,cells\n')).toEqual(['f.csv line 2 ! no order in the "Id" column', 'f.csv line 3 id:5']);
    expect(await csv('5\n6,x,y\n7,z\n')).toEqual(['f.csv line 1 id:5', 'f.csv line 2 id:6', 'f.csv line 3 id:7']);
  });
});

describe('refsFromCsv: headerless', () => {
  it('reads the first cell of each row; bare numbers are ids', async () => {
    expect(await csv('123\n#1001\ngid://shopify/Order/5,extra\nEN7\n')).toEqual([
      'f.csv line 1 id:123',
      'f.csv line 2 name:#1001',
      'f.csv line 3 id:5',
      'f.csv line 4 name:EN7',
    ]);
  });

  it('says why a first row that is an unknown header fails', async () => {
    const [first, ...rest] = await csv('Email,Total\n5,10\n');
    expect(first).toMatch(/^f\.csv line 1 ! not an order;.*no id\/order_id\/gid\/name\/order\/order_name column header/);
    expect(rest).toEqual(['f.csv line 2 id:5']);
  });

  it('reports an empty first column', async () => {
    expect(await csv('5\n,6\n')).toEqual(['f.csv line 1 id:5', 'f.csv line 2 ! the first column is empty']);
  });
});

describe('refsFromCsv: encoding and line endings', () => {
  it('strips a UTF-8 BOM before the header', async () => {
    expect(await csv('\uFEFFId,Name\n5,#5\n')).toEqual(['f.csv line 2 id:5']);
    expect(await csv('\uFEFF5\n')).toEqual(['f.csv line 1 id:5']);
    expect(await csv('\uFEFF\n \n5\n')).toEqual(['f.csv line 3 id:5']);
    expect(await csv('\uFEFF\u00A0\n\t\n\n"5"\n')).toEqual(['f.csv line 4 id:5']);
  });

  it('accepts CRLF, lone CR and mixed line endings with exact line numbers', async () => {
    expect(await csv('Id\r\n5\r\n\r\n6\r\n')).toEqual(['f.csv line 2 id:5', 'f.csv line 4 id:6']);
    expect(await csv('Id\r5\r\r6\r')).toEqual(['f.csv line 2 id:5', 'f.csv line 4 id:6']);
    expect(await csv('Id\n5\r\n6\n\r\n7')).toEqual(['f.csv line 2 id:5', 'f.csv line 3 id:6', 'f.csv line 5 id:7']);
  });

  it('handles a CRLF split across chunks', async () => {
    expect(await csv(['Id\r', '\n5\r', '\n6'])).toEqual(['f.csv line 2 id:5', 'f.csv line 3 id:6']);
  });

  it('numbers rows after quoted cells with embedded newlines (CRLF too) from where they start', async () => {
    const content = 'Id,Note\r\n5,"line one\r\nline two\r\nline three"\r\n\r\n6,x\r\n"7\n8",y\r\n9,z\r\n';
    expect(await csv(content)).toEqual([
      'f.csv line 2 id:5',
      'f.csv line 6 id:6',
      'f.csv line 7 ! contains control or invisible characters',
      'f.csv line 9 id:9',
    ]);
  });

  it('refuses a binary file with one problem', async () => {
    const events = await csv(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x0a, 0x31, 0x0a]), 'orders.xlsx');
    expect(events).toEqual(['orders.xlsx ! not a text CSV file (it contains NUL bytes)']);
  });

  it('refuses a file whose NUL bytes come after some text-looking lines', async () => {
    const pdfish = Buffer.concat([Buffer.from('%PDF-1.4\n1001\n'), Buffer.alloc(1000, 0x41), Buffer.from([0, 1, 2])]);
    expect(await csv([pdfish.subarray(0, 10), pdfish.subarray(10)])).toEqual(['f.csv ! not a text CSV file (it contains NUL bytes)']);
  });

  it('stops at a NUL byte met beyond the first 64 KiB, after the rows before it', async () => {
    const head = `Id\n${'5\n'.repeat(40_000)}`;
    const events = await csv([head, Buffer.from([0x36, 0x0a, 0x37, 0x00, 0x0a]), '8\n']);
    expect(events).toHaveLength(40_002);
    expect(events.slice(-2)).toEqual([
      'f.csv line 40002 id:6',
      'f.csv line 40003 ! a NUL byte: not a text CSV file; stopped reading f.csv here; rows from line 40003 on were not read',
    ]);
  });

  it('names UTF-16 as the reason', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Id\r\n5\r\n', 'utf16le')]);
    expect(await csv(utf16)).toEqual(['f.csv ! not a text CSV file: it is UTF-16 encoded; save it as "CSV UTF-8"']);
  });

  it('reports invalid UTF-8 as a bad row', async () => {
    expect(await csv(Buffer.concat([Buffer.from('5\n'), Buffer.from([0xc3, 0x28]), Buffer.from('\n6\n')]))).toEqual([
      'f.csv line 1 id:5',
      expect.stringMatching(/^f\.csv line 2 ! /),
      'f.csv line 3 id:6',
    ]);
  });

  it('reads string chunks too', async () => {
    const stream = Readable.from(['Id\n5\n', '6\n'], { objectMode: false });
    expect((await collect(refsFromCsv(stream, 'stdin'))).map(show)).toEqual(['stdin line 2 id:5', 'stdin line 3 id:6']);
  });
});

describe('refsFromCsv: bad rows and syntax errors', () => {
  it('reports bad rows with their line numbers and keeps going', async () => {
    const content = ['Id', '5', '', 'abc', '0012', '18446744073709551616', 'gid://shopify/Product/1', '6', '7"x', '8'].join('\n');
    expect(await csv(content)).toEqual([
      'f.csv line 2 id:5',
      'f.csv line 4 ! not an order; expected an order id (123), gid://shopify/Order/123 or an order name (#1001, EN1001)',
      'f.csv line 5 ! an order id never has a leading zero; to select an order by its name, write it with #: #0012',
      'f.csv line 6 ! too large for an order id (at most 18446744073709551615)',
      'f.csv line 7 ! a Product gid, not an Order gid; expected gid://shopify/Order/123',
      'f.csv line 8 id:6',
      'f.csv line 9 ! contains quote characters; write the order without quotes, e.g. #1001',
      'f.csv line 10 id:8',
    ]);
  });

  it('keeps the offending text in the problem, shortened', async () => {
    const events = await collect(refsFromCsv(Readable.from([`Id\n${'9'.repeat(5000)}\n`]), 'f.csv'));
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event?.type === 'problem' && event.problem.raw).toBe('9'.repeat(200));
  });

  it('stops at an unclosed quote, naming the line where it opened', async () => {
    const events = await collect(refsFromCsv(Readable.from(['Id\n5\n\n"6\n7\n8\n']), 'f.csv'));
    expect(events.map(show)).toEqual([
      'f.csv line 2 id:5',
      'f.csv line 4 ! a quote opened here is never closed; stopped reading f.csv here; rows from line 4 on were not read',
    ]);
    expect(events[1]?.type === 'problem' && events[1].problem.raw).toBe('"6');
  });

  it('stops at text after a closing quote', async () => {
    expect(await csv('Id\n5\n"6"x\n7\n')).toEqual([
      'f.csv line 2 id:5',
      expect.stringMatching(/^f\.csv line 3 ! text after a closing quote .*rows from line 3 on were not read$/),
    ]);
  });

  it('stops at a runaway record instead of buffering the rest of the file', async () => {
    const rows = Array.from({ length: 200_000 }, (_, i) => `${i + 1}`).join('\n');
    const events = await csv(`Id\n5\n"6\n${rows}\n`);
    expect(events).toEqual(['f.csv line 2 id:5', expect.stringMatching(/^f\.csv line 3 ! a row longer than 1 MB, most likely an unclosed quote/)]);
  });
});

describe('refsFromCsv: stopping', () => {
  it('does not read the rest of the input after a syntax error, and closes it', async () => {
    let produced = 0;
    const source = new Readable({
      read() {
        produced++;
        if (produced === 1) this.push('Id\n5\n"6"x\n');
        else if (produced > 100_000) this.push(null);
        else this.push(`${'7\n'.repeat(5000)}`);
      },
    });
    const events = (await collect(refsFromCsv(source, 'f.csv'))).map(show);
    expect(events).toEqual(['f.csv line 2 id:5', expect.stringMatching(/^f\.csv line 3 ! text after a closing quote/)]);
    expect(produced).toBeLessThan(20);
    await new Promise((resolve) => setImmediate(resolve));
    expect(source.destroyed).toBe(true);
  });
});

describe('refsFromCsv: empty input', () => {
  it.each([
    ['an empty file', ''],
    ['a BOM only', '\uFEFF'],
    ['blank lines', '\n\n  \n'],
    ['a header only', 'Id,Name\n'],
    ['a header and blank rows', 'Id,Name\r\n,\r\n\r\n'],
  ])('%s yields nothing', async (_, content) => {
    expect(await csv(content)).toEqual([]);
  });
});

describe('refsFromCsv: streaming', () => {
  it('streams 100,000 rows quickly', async () => {
    const total = 100_000;
    const source = Readable.from(
      (function* () {
        yield 'Name,Id\n';
        for (let i = 1; i <= total; i += 1000) {
          let chunk = '';
          for (let j = i; j < i + 1000; j++) chunk += `#${j},${1_000_000 + j}\n`;
          yield chunk;
        }
      })(),
    );
    const started = performance.now();
    let refs = 0;
    let problems = 0;
    let last = '';
    for await (const event of refsFromCsv(source, 'big.csv')) {
      if (event.type === 'ref') {
        refs++;
        last = event.item.origin;
      } else problems++;
    }
    expect({ refs, problems, last }).toEqual({ refs: total, problems: 0, last: `big.csv line ${total + 1}` });
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('pulls from the input only as fast as the consumer reads (backpressure)', async () => {
    let produced = 0;
    const source = new Readable({
      read() {
        if (produced >= 1_000_000) return void this.push(null);
        let chunk = '';
        for (let i = 0; i < 100; i++) chunk += `${++produced}\n`;
        this.push(chunk);
      },
    });
    let consumed = 0;
    for await (const event of refsFromCsv(source, 'slow.csv')) {
      expect(event.type).toBe('ref');
      if (++consumed === 1000) break;
    }
    // Only the parser's and streams' buffers are read ahead, not the million rows.
    expect(produced).toBeLessThan(50_000);
    // Leaving the loop early closes the input.
    await new Promise((resolve) => setImmediate(resolve));
    expect(source.destroyed).toBe(true);
  });

  it('does not touch the input until iterated', async () => {
    const source = Readable.from(['5\n']);
    const events = refsFromCsv(source, 'f.csv');
    await new Promise((resolve) => setImmediate(resolve));
    expect(source.readableFlowing).toBe(null);
    expect((await collect(events)).map(show)).toEqual(['f.csv line 1 id:5']);
  });

  it('throws a UsageError when the input itself fails', async () => {
    const source = new Readable({
      read() {
        this.destroy(Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' }));
      },
    });
    const events = collect(refsFromCsv(source, 'orders.csv'));
    await expect(events).rejects.toThrow(UsageError);
    await expect(
      collect(
        refsFromCsv(
          new Readable({
            read() {
              this.destroy(new Error('boom'));
            },
          }),
          'orders.csv',
        ),
      ),
    ).rejects.toThrow('could not read orders.csv: boom');
  });
});
