// Which store a run talks to: a shop's myshopify.com domain over HTTPS, or a sandbox on this machine.
// Anything else is refused before a token is sent anywhere: plain HTTP would expose the token on the
// network, and a mistyped or custom domain would hand it to a host that is not Shopify's.
import { UsageError } from '../errors.js';
import { redactTokens } from './redact.js';

export interface StoreEndpoint {
  /** Where requests go, e.g. `https://shop.myshopify.com` or `http://127.0.0.1:8787`. */
  origin: string;
  /** How to name the store to a person, e.g. `shop.myshopify.com` or `127.0.0.1:8787`. */
  display: string;
  /** A sandbox on this machine (127.0.0.0/8, localhost, [::1]). */
  loopback: boolean;
}

const SHOPIFY_SUFFIX = 'myshopify.com';
const ACCEPTED =
  'Accepted: a shop handle (my-shop), its domain (my-shop.myshopify.com), https://my-shop.myshopify.com, ' +
  'or a local sandbox URL (http://127.0.0.1:8787, http://localhost:8787, http://[::1]:8787).';
// Lowercase letters, digits and inner hyphens: what Shopify allows in a myshopify.com handle.
const HANDLE = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const ADMIN_STORE_PATH = /^\/store\/([^/]+)/;

export function resolveStore(input: string): StoreEndpoint {
  const text = input.trim();
  if (text === '') refuse('The store is empty.');
  if (!/[.:/]/.test(text)) return myshopify(handleOf(text.toLowerCase(), text.toLowerCase()));

  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
  let url: URL;
  try {
    url = new URL(hasScheme ? text : `https://${text}`);
  } catch {
    refuse(`Store "${shown(text)}" is not a valid domain or URL.`);
  }
  const seen = shown(text);
  if (url.username || url.password) {
    refuse(`Store "${seen}" contains a user name or password; give the access token separately, never in the URL.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    refuse(`Store "${seen}" uses ${url.protocol.slice(0, -1)}://; Shopify is reached over https://.`);
  }
  const host = url.hostname.replace(/\.$/, '');
  if (isLoopback(host)) {
    if (!hasScheme) refuse(`Store "${seen}" is on this machine: add the scheme, e.g. http://${url.host}.`);
    return { origin: url.origin, display: url.host, loopback: true };
  }
  if (url.protocol === 'http:') {
    const intended = host.endsWith(`.${SHOPIFY_SUFFIX}`) ? host : nearMiss(host);
    const suggestion = intended ? ` Use https://${intended}.` : '';
    refuse(
      `Store "${seen}" uses plain http://: the access token would travel unencrypted. Plain http is only for a sandbox on this machine (127.0.0.1, localhost, [::1]).${suggestion}`,
    );
  }
  if (!host.endsWith(`.${SHOPIFY_SUFFIX}`)) refuse(notShopifyMessage(seen, host, url.pathname));
  const handle = handleOf(host.slice(0, -SHOPIFY_SUFFIX.length - 1), seen);
  if (url.port !== '') {
    refuse(`Store "${seen}" names port ${url.port}; Shopify stores answer on the default HTTPS port. Use https://${host}.`);
  }
  return myshopify(handle);
}

function myshopify(handle: string): StoreEndpoint {
  const display = `${handle}.${SHOPIFY_SUFFIX}`;
  return { origin: `https://${display}`, display, loopback: false };
}

function handleOf(handle: string, seen: string): string {
  if (handle.includes('.')) {
    refuse(`Store "${seen}" is not a shop's own domain: "${handle}" has dots, but a shop handle is a single name like my-shop.`);
  }
  if (!HANDLE.test(handle) || handle.startsWith('xn--')) {
    const prefix = seen === handle ? '' : `Store "${seen}": `;
    refuse(`${prefix}"${handle}" is not a valid shop handle (lowercase letters, digits and hyphens, not starting or ending with a hyphen).`);
  }
  return handle;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** Why a non-myshopify host is refused, with the likely intended store when we can guess it. */
function notShopifyMessage(seen: string, host: string, pathname: string): string {
  if (host === 'admin.shopify.com') {
    const handle = ADMIN_STORE_PATH.exec(pathname)?.[1];
    return handle && HANDLE.test(handle)
      ? `Store "${seen}" is a Shopify admin page, not the shop's API domain: did you mean ${handle}.${SHOPIFY_SUFFIX}?`
      : `Store "${seen}" is Shopify's admin, not a shop: use the shop's own ${SHOPIFY_SUFFIX} domain.`;
  }
  const intended = nearMiss(host);
  if (intended) return `Store "${seen}" is not a myshopify.com domain: did you mean ${intended}?`;
  return (
    `Store "${seen}" is not a myshopify.com domain; the access token is only sent to Shopify. ` +
    `Use the shop's myshopify.com domain (Shopify admin → Settings → Domains), even when it has a custom domain.`
  );
}

/** `shop.myshopify.com` for a mistyped suffix: shop.myshopfy.com, shop.myshopify.co, shop.shopify.com, shop.myshopify. */
function nearMiss(host: string): string | undefined {
  const [first, ...rest] = host.split('.');
  const suffix = rest.join('.');
  if (!first || rest.length === 0 || !HANDLE.test(first)) return undefined;
  return editDistance(suffix, SHOPIFY_SUFFIX) <= 2 || suffix === 'myshopify' ? `${first}.${SHOPIFY_SUFFIX}` : undefined;
}

/** The input as it may be echoed back: without any password it carried. */
/** The store as typed, for messages: without a user:password part, or anything token-shaped. */
function shown(text: string): string {
  return redactTokens(text.replace(/^([a-z][a-z0-9+.-]*:\/\/)?[^/@]*@/i, '$1…@'));
}

function refuse(message: string): never {
  throw new UsageError(message, ACCEPTED);
}

/** Levenshtein distance; the strings compared here are short. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}
