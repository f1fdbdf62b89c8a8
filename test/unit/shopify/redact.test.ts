import { describe, expect, it } from 'vitest';
import { redactTokens } from '../../../src/shopify/redact.js';

describe('redactTokens', () => {
  it('takes out every token-shaped word, whatever the prefix or case', () => {
    const token = `shpat_${'a1'.repeat(16)}`;
    expect(redactTokens(`bad store https://x.com/?t=${token} and ${token.toUpperCase()}`)).toBe(
      'bad store https://x.com/?t=[redacted] and [redacted]',
    );
    expect(redactTokens(`shpca_${'0'.repeat(32)} shppa_${'f'.repeat(32)}`)).toBe('[redacted] [redacted]');
  });

  it('takes out known tokens of any shape, but not short strings that would mangle the text', () => {
    expect(redactTokens('the token is custom-token-123 here', ['custom-token-123'])).toBe('the token is [redacted] here');
    expect(redactTokens('abc abc', ['abc', undefined])).toBe('abc abc');
  });

  it('leaves other text alone', () => {
    expect(redactTokens('shpat_short, shop.myshopify.com')).toBe('shpat_short, shop.myshopify.com');
  });
});
