// Where a run connects, and with which token: flags, then the environment. The token never comes from
// a flag value (it would leak into shell history and `ps`), only from SHOPIFY_ACCESS_TOKEN or a file.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { DEFAULT_API_VERSION, isApiVersion, SUPPORTED_API_VERSIONS, type ApiVersion } from './api-versions.js';
import { resolveStore, type StoreEndpoint } from './store-endpoint.js';

export interface ConnectionFlags {
  store?: string;
  tokenFile?: string;
  apiVersion?: string;
}

export interface Connection {
  endpoint: StoreEndpoint;
  accessToken: string;
  apiVersion: ApiVersion;
}

export async function resolveConnection(flags: ConnectionFlags, env: Readonly<Record<string, string | undefined>>, cwd: string): Promise<Connection> {
  const store = flags.store ?? env.SHOPIFY_STORE;
  if (!store) throw new UsageError('No store given.', 'Pass --store <shop.myshopify.com> or set SHOPIFY_STORE.');
  const endpoint = resolveStore(store);
  const apiVersion = flags.apiVersion ?? DEFAULT_API_VERSION;
  if (!isApiVersion(apiVersion)) {
    throw new UsageError(`--api-version ${apiVersion} is not supported.`, `Supported: ${SUPPORTED_API_VERSIONS.join(', ')}.`);
  }
  return { endpoint, accessToken: await readToken(flags.tokenFile, env, cwd), apiVersion };
}

async function readToken(tokenFile: string | undefined, env: Readonly<Record<string, string | undefined>>, cwd: string): Promise<string> {
  if (tokenFile !== undefined) {
    const file = path.resolve(cwd, tokenFile);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      throw new UsageError(`--token-file: cannot read ${file}.`);
    }
    const token = text.trim();
    if (!token || /\s/.test(token)) throw new UsageError(`--token-file: ${file} must hold just the access token.`);
    return token;
  }
  const token = env.SHOPIFY_ACCESS_TOKEN?.trim();
  if (!token) throw new UsageError('No access token.', 'Set SHOPIFY_ACCESS_TOKEN, or pass --token-file <path>.');
  return token;
}
