// Downloads a bulk operation's result file. It lives on Shopify's storage, not the Admin API: no
// access token is sent, and only https (or a loopback sandbox) is accepted.
import { fetch } from 'undici';
import { RunError } from '../errors.js';

const LOOPBACK = /^http:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?\//;

export async function* downloadLines(url: string, signal: AbortSignal): AsyncGenerator<string> {
  if (!url.startsWith('https://') && !LOOPBACK.test(url))
    throw new RunError(`Refusing to download a bulk result over plain http from ${new URL(url).host}.`);
  const response = await fetch(url, { signal, redirect: 'manual' });
  if (!response.ok || !response.body) throw new RunError(`Could not download the bulk export result (HTTP ${response.status}).`);
  const decoder = new TextDecoder();
  let pending = '';
  for await (const chunk of response.body) {
    pending += decoder.decode(chunk as Uint8Array, { stream: true });
    let newline: number;
    while ((newline = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      if (line.trim()) yield line;
    }
  }
  pending += decoder.decode();
  if (pending.trim()) yield pending;
}
