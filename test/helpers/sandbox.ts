// Starts a real sandbox on a loopback port for a test and talks to it over HTTP, as a client would.
import { afterEach } from 'vitest';
import { startSandbox, type CountersSnapshot, type RunningSandbox, type SandboxOptions, type StoreData } from '@bulkfill/sandbox';
import { recordToken } from './leak-scan.js';

const running: RunningSandbox[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((sandbox) => sandbox.close()));
});

/** A sandbox that is closed after the current test. Defaults: 60 orders, seed 1, fast clocks. */
export async function sandbox(options: Partial<SandboxOptions> = {}): Promise<RunningSandbox> {
  const started = await startSandbox({
    port: 0,
    orders: 60,
    seed: 1,
    plan: 'standard',
    timeScale: 1,
    ...options,
  });
  running.push(started);
  recordToken(started.token); // the leak scan looks for it in every output
  return started;
}

export interface GqlResponse<T = any> {
  status: number;
  headers: Headers;
  body: { data?: T; errors?: any; extensions?: any };
}

export async function gql<T = any>(
  target: { url: string; token: string },
  query: string,
  variables: Record<string, unknown> = {},
  options: { version?: string; token?: string | null } = {},
): Promise<GqlResponse<T>> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  const token = options.token === undefined ? target.token : options.token;
  if (token !== null) headers['X-Shopify-Access-Token'] = token;
  const response = await fetch(`${target.url}/admin/api/${options.version ?? '2026-10'}/graphql.json`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : {} };
}

async function inspect<T>(target: { url: string }, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${target.url}/__sandbox/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }),
  });
  if (!response.ok) throw new Error(`/__sandbox/${path}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

export const counters = (target: { url: string }) => inspect<CountersSnapshot>(target, 'counters');
export const storeState = (target: { url: string }) => inspect<StoreData>(target, 'state');
export const advanceClock = (target: { url: string }, advanceMs: number) => inspect<{ now: string }>(target, 'clock', { advanceMs });
export const setFaults = (target: { url: string }, spec: string) => inspect(target, 'faults', { spec });
export const createToken = async (target: { url: string }, scopes: string[]) => {
  const created = await inspect<{ token: string; scopes: string[] }>(target, 'tokens', { scopes });
  recordToken(created.token); // the leak scan looks for it in every output
  return created;
};

export const orderGid = (id: number) => `gid://shopify/Order/${id}`;
export const foGid = (id: number) => `gid://shopify/FulfillmentOrder/${id}`;
