// `--query`: the search text is sent to Shopify as it is, so what cannot be meant is refused before
// anything connects (a UsageError, exit 2).

import { UsageError } from '../errors.js';
import { printable } from './order-ref.js';

/** Far longer than any hand-written search; longer text is almost certainly a pasted file. */
export const MAX_QUERY_LENGTH = 10_000;

/**
 * The --query text is sent as it is, so refuse what cannot be meant: an empty search (often an unset
 * shell variable) would select every order in the store; control characters other than tab and line
 * breaks, and unpaired UTF-16 surrogates, cannot be a search; and a huge text is a mistake.
 */
export function checkQueryText(query: string): void {
  if (query.trim() === '') {
    throw new UsageError(
      '--query is empty: an empty search would select every order in the store.',
      'Pass a search, e.g. --query "financial_status:pending"; an unset shell variable gives an empty --query.',
    );
  }
  if (query.length > MAX_QUERY_LENGTH) {
    throw new UsageError(`--query is ${query.length} characters long; at most ${MAX_QUERY_LENGTH} are accepted.`);
  }
  // Control characters except tab, LF and CR; DEL and the C1 controls; a surrogate not in a pair.
  const bad = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.exec(
    query,
  );
  if (bad) {
    const what = /[\uD800-\uDFFF]/.test(bad[0]) ? 'an unpaired UTF-16 surrogate (invalid Unicode)' : `a control character (${printable(bad[0])})`;
    throw new UsageError(`--query contains ${what} at position ${bad.index}.`, 'Write the search as plain text, e.g. --query "tag:vip".');
  }
}
