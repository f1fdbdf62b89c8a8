// Access tokens must never be printed: whatever text may carry one (an error message, a stack, a
// store address someone pasted a token into) passes through here first.

/** Shopify's token shapes: shpat_ (Admin API), shpca_ (custom app), shppa_ (private app), shpss_ (secret). */
const TOKEN_SHAPED = /\bshp(?:at|ca|pa|ss)_[0-9a-f]{16,}\b/gi;
const REDACTED = '[redacted]';

/** `text` with anything token-shaped, and each of `known` (at least 8 characters), replaced. */
export function redactTokens(text: string, known: readonly (string | undefined)[] = []): string {
  let out = text.replace(TOKEN_SHAPED, REDACTED);
  for (const token of known) if (token && token.length >= 8) out = out.split(token).join(REDACTED);
  return out;
}
