// Text that came from outside bulkfill (order names, Shopify's messages, fulfillment service handles,
// journal fields, CSV cells), made safe to write to a terminal in human output (not --json, not CSV).
//
// A store can hold any text in an order name or a message. Written raw, an escape sequence in it
// could clear the screen (ESC [2J), retitle the window or write the clipboard (OSC … BEL), hide or
// fake lines (CR, backspace), or ring the bell. So, before it is coloured (our own chalk codes must
// survive, so sanitise the data, then colour):
//   - whole escape sequences are removed: CSI (ESC [ or 0x9B, parameters, final byte), OSC / DCS /
//     SOS / PM / APC strings up to their terminator (BEL, ESC \ or 0x9C), and two-byte ESC sequences;
//   - every remaining C0 and C1 control character and DEL is removed (a lone ESC included), and so
//     are the Unicode bidirectional controls that could reorder what a line appears to say;
//   - line breaks (CR, LF, CRLF, VT, FF, U+2028/2029) and tabs become one space: one data field never
//     spans lines. With `multiline`, LF (and CRLF) is kept, for our own multi-line messages.
// The result contains no character below U+0020 (but LF with `multiline`), none in U+007F–U+009F.

export interface TerminalTextOptions {
  /** Keep line feeds (CRLF becomes LF): for whole messages that we compose on several lines. */
  multiline?: boolean;
}

// String sequences: OSC (ESC ]), DCS (ESC P), SOS (ESC X), PM (ESC ^), APC (ESC _) and their C1 forms,
// up to BEL, ST (ESC \) or C1 ST. Unterminated, only the introducer goes (the rest is plain text).
const STRING_SEQUENCE = /(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)/gu;
// CSI: ESC [ or 0x9B, parameter bytes, intermediate bytes, a final byte.
const CSI = /(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]/gu;
// Other escape sequences: ESC, intermediate bytes, a final byte (ESC c, ESC ( B, ESC 7 …).
const ESCAPE = /\x1b[\x20-\x2f]*[\x30-\x7e]/gu;
const LINE_BREAK = /\r\n|[\n\r\v\f\u2028\u2029\u0085\t]/gu;
const LINE_BREAK_BUT_LF = /\r(?!\n)|[\r\v\f\u2028\u2029\u0085\t]/gu;
// C0 controls but LF (handled above), DEL, C1 controls, bidirectional controls.
const CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;
const CONTROL_OR_LF = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;
// Fast path: nothing to do for plain text.
const NEEDS_WORK = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/u;

/** `text` without escape sequences or control characters, on one line (unless `multiline`). */
export function safeForTerminal(text: string, options: TerminalTextOptions = {}): string {
  if (!NEEDS_WORK.test(text)) return text;
  let out = text.replace(STRING_SEQUENCE, '').replace(CSI, '').replace(ESCAPE, '');
  if (options.multiline) {
    out = out.replace(/\r\n/gu, '\n').replace(LINE_BREAK_BUT_LF, ' ').replace(CONTROL, '');
  } else {
    out = out.replace(LINE_BREAK, ' ').replace(CONTROL_OR_LF, '');
  }
  return out;
}
