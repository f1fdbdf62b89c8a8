import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { safeForTerminal } from '../../../src/ui/terminal-text.js';

// Nothing below U+0020, DEL, C1 controls, bidirectional controls, and no Unicode line separators.

const UNSAFE = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/u;

const UNSAFE_BUT_LF = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/u;

describe('safeForTerminal', () => {
  it('leaves plain text alone (the same string)', () => {
    for (const text of ['#1001', 'EN1001', 'Order has already been cancelled', 'Ünïcødé 注文 ✔ 🎉', '']) {
      expect(safeForTerminal(text)).toBe(text);
    }
  });

  it('removes whole escape sequences, not only their ESC', () => {
    expect(safeForTerminal('#1001\u001b[2J')).toBe('#1001');
    expect(safeForTerminal('\u001b[31;1mred\u001b[0m')).toBe('red');
    expect(safeForTerminal('a\u001b]0;pwned\u0007b')).toBe('ab');
    expect(safeForTerminal('a\u001b]52;c;aGVsbG8=\u001b\\b')).toBe('ab'); // OSC 52 (clipboard), ST-terminated
    expect(safeForTerminal('a\u001b]8;;http://evil\u001b\\link\u001b]8;;\u001b\\b')).toBe('alinkb'); // OSC 8 hyperlink
    expect(safeForTerminal('a\u009b31mb')).toBe('ab'); // C1 CSI
    expect(safeForTerminal('a\u009d0;t\u009cb')).toBe('ab'); // C1 OSC … C1 ST
    expect(safeForTerminal('a\u001bPq#0;2;0;0;0\u001b\\b')).toBe('ab'); // DCS (sixel)
    expect(safeForTerminal('a\u001bcb')).toBe('ab'); // RIS: full reset
    expect(safeForTerminal('a\u001b(Bb')).toBe('ab');
    expect(safeForTerminal('a\u001b[?1049hb')).toBe('ab'); // alternate screen
  });

  it('drops a lone or unterminated introducer and keeps the harmless text after it', () => {
    expect(safeForTerminal('a\u001b')).toBe('a');
    expect(safeForTerminal('a\u001b]0;no terminator')).toBe('a0;no terminator');
    expect(safeForTerminal('a\u001b\u0000[2J')).toBe('a[2J');
  });

  it('removes other control characters and puts one space for each line break or tab', () => {
    expect(safeForTerminal('a\rb')).toBe('a b');
    expect(safeForTerminal('a\r\nb')).toBe('a b');
    expect(safeForTerminal('a\nb\u2028c\u2029d\u0085e\u000bf\u000cg\th')).toBe('a b c d e f g h');
    expect(safeForTerminal('ab\u0008\u0008xy')).toBe('abxy');
    expect(safeForTerminal('ding\u0007')).toBe('ding');
    expect(safeForTerminal('nul\u0000del\u007f')).toBe('nuldel');
    expect(safeForTerminal('\u202eevil\u202c')).toBe('evil'); // right-to-left override
  });

  it('keeps line feeds with multiline (CRLF becomes LF; a lone CR a space)', () => {
    expect(safeForTerminal('one\ntwo\r\nthree\rfour\u001b[2J', { multiline: true })).toBe('one\ntwo\nthree four');
  });

  it('never lets a control character through, whatever the input (property)', () => {
    const pieces = fc.constantFrom(
      '\u001b',
      '[',
      ']',
      '\\',
      '\u0007',
      '\u009b',
      '\u009c',
      '\u009d',
      '\r',
      '\n',
      '\u0008',
      '0',
      ';',
      'm',
      'P',
      'a',
      ' ',
      '\u2028',
      '\u202e',
    );
    const text = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.array(pieces, { maxLength: 30 }).map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(text, (input) => {
        expect(safeForTerminal(input)).not.toMatch(UNSAFE);
        expect(safeForTerminal(input, { multiline: true })).not.toMatch(UNSAFE_BUT_LF);
        // Idempotent: sanitising twice changes nothing more.
        expect(safeForTerminal(safeForTerminal(input))).toBe(safeForTerminal(input));
      }),
      { numRuns: 2000 },
    );
  });
});
