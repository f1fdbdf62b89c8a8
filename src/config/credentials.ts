// Where a run connects, and with which token. Each setting comes from the first of: a flag, the
// environment, a profile of the user's config file (config/config-file.ts), then a default:
//
//   store        --store        > SHOPIFY_STORE          > profile.store
//   token        --token-file   > SHOPIFY_ACCESS_TOKEN   > profile.tokenFile / profile.token
//   API version  --api-version  > SHOPIFY_API_VERSION    > profile.apiVersion > DEFAULT_API_VERSION
//
// The profile is the one named by --profile or BULKFILL_PROFILE, else the file's defaultProfile. The
// token never comes from a flag value (it would leak into shell history and `ps`). A profile's token is
// only ever sent to that profile's store: with --store naming another store, a named profile's token is
// refused and the default profile is not used at all.
import { readFile } from 'node:fs/promises';
import path from 'node:path';

import type { Env } from '../capabilities.js';
import { configFilePath, loadConfig, profileList, type ConfigFile, type Profile } from './config-file.js';
import { UsageError } from '../errors.js';
import { DEFAULT_API_VERSION, isApiVersion, SUPPORTED_API_VERSIONS, type ApiVersion } from '../shopify/api-versions.js';
import { resolveStore, type StoreEndpoint } from '../shopify/store-endpoint.js';

export interface ConnectionFlags {
  store?: string;
  tokenFile?: string;
  apiVersion?: string;
  profile?: string;
}

export interface Connection {
  endpoint: StoreEndpoint;
  accessToken: string;
  apiVersion: ApiVersion;
}

/** A setting given by a flag or the environment, and which one gave it (for messages). */
interface Given {
  value: string;
  source: string;
}

interface ChosenProfile {
  name: string;
  profile: Profile;
  config: ConfigFile;
  /** Named by --profile or BULKFILL_PROFILE, rather than the file's defaultProfile. */
  explicit: boolean;
}

/**
 * `configDir` is where the config file lives (ctx.configDir); without it no profile is used, and
 * --profile is an error.
 */
export async function resolveConnection(flags: ConnectionFlags, env: Env, cwd: string, configDir?: string): Promise<Connection> {
  const store = given(flags.store, '--store') ?? given(env.SHOPIFY_STORE, 'SHOPIFY_STORE');
  const tokenFile = given(flags.tokenFile, '--token-file');
  const envToken = given(env.SHOPIFY_ACCESS_TOKEN, 'SHOPIFY_ACCESS_TOKEN');
  const apiVersion = given(flags.apiVersion, '--api-version') ?? given(env.SHOPIFY_API_VERSION, 'SHOPIFY_API_VERSION');
  if (apiVersion) apiVersion.value = apiVersion.value.trim();
  if (apiVersion && !isApiVersion(apiVersion.value)) {
    throw new UsageError(`${describeGiven(apiVersion)} is not a supported API version.`, `Supported: ${SUPPORTED_API_VERSIONS.join(', ')}.`);
  }
  const named = given(flags.profile, '--profile') ?? given(env.BULKFILL_PROFILE, 'BULKFILL_PROFILE');

  // The config file is read only when a profile is named or something is still missing.
  const needed = named !== undefined || !store || (!tokenFile && !envToken) || !apiVersion;
  let chosen = needed ? await chooseProfile(named, configDir) : undefined;

  let endpoint: StoreEndpoint;
  if (store) {
    endpoint = resolveStore(store.value);
    if (chosen && !sameStore(endpoint, chosen.profile.store)) {
      if (!chosen.explicit) {
        chosen = undefined; // the default profile is for another store: it has nothing to add here
      } else if (!tokenFile && !envToken) {
        throw new UsageError(
          `Profile "${chosen.name}" is for ${displayOf(chosen.profile.store)}, but ${describeGiven(store)} names ${endpoint.display}: its token is not sent to another store.`,
          `Drop ${store.source} to use the profile's store, or give a token for ${endpoint.display} with SHOPIFY_ACCESS_TOKEN or --token-file.`,
        );
      }
    }
  } else if (chosen) {
    endpoint = inProfile(chosen, () => resolveStore(chosen!.profile.store));
  } else {
    throw new UsageError(
      'No store given.',
      `Pass --store <shop.myshopify.com>, set SHOPIFY_STORE, or use a profile (--profile <name>).${whereProfiles(configDir)}`,
    );
  }

  const accessToken = await readToken({ tokenFile, envToken, chosen, cwd, configDir });
  const version = (apiVersion?.value as ApiVersion | undefined) ?? chosen?.profile.apiVersion ?? DEFAULT_API_VERSION;
  return { endpoint, accessToken, apiVersion: version };
}

async function chooseProfile(named: Given | undefined, configDir: string | undefined): Promise<ChosenProfile | undefined> {
  if (configDir === undefined) {
    if (named) throw new UsageError(`${describeGiven(named)}: profiles are not available here (no config directory).`);
    return undefined;
  }
  const config = await loadConfig(configDir);
  if (!config) {
    if (!named) return undefined;
    throw new UsageError(
      `${describeGiven(named)}: there is no config file ${configFilePath(configDir)}, so no profile "${named.value}".`,
      `Create it with { "profiles": { "${named.value}": { "store": "my-shop.myshopify.com", "tokenFile": "${named.value}.token" } } } ` +
        '(see README.md, "Configuration").',
    );
  }
  const name = named?.value ?? config.defaultProfile;
  if (name === undefined) return undefined;
  const profile = Object.hasOwn(config.profiles, name) ? config.profiles[name] : undefined;
  if (!profile) {
    // Only a named profile can be missing: the file's defaultProfile was checked when it was read.
    throw new UsageError(
      `${describeGiven(named!)}: there is no profile "${name}" in ${config.path}.`,
      `${capitalise(profileList(Object.keys(config.profiles)))}.`,
    );
  }
  return { name, profile, config, explicit: named !== undefined };
}

interface TokenSources {
  tokenFile: Given | undefined;
  envToken: Given | undefined;
  chosen: ChosenProfile | undefined;
  cwd: string;
  configDir: string | undefined;
}

async function readToken({ tokenFile, envToken, chosen, cwd, configDir }: TokenSources): Promise<string> {
  if (tokenFile) return readTokenFile(path.resolve(cwd, tokenFile.value), '--token-file');
  if (envToken) {
    const token = envToken.value.trim();
    if (/\s/.test(token)) throw new UsageError('SHOPIFY_ACCESS_TOKEN must hold just the access token, without spaces.');
    return token;
  }
  if (chosen?.profile.tokenFile !== undefined) {
    const file = path.resolve(path.dirname(chosen.config.path), chosen.profile.tokenFile);
    return readTokenFile(file, `Profile "${chosen.name}" (${chosen.config.path}): tokenFile`);
  }
  if (chosen?.profile.token !== undefined) return chosen.profile.token;
  throw new UsageError(
    'No access token.',
    chosen
      ? `Profile "${chosen.name}" has no token or tokenFile; add one, set SHOPIFY_ACCESS_TOKEN, or pass --token-file <path>.`
      : `Set SHOPIFY_ACCESS_TOKEN, pass --token-file <path>, or use a profile (--profile <name>).${whereProfiles(configDir)}`,
  );
}

async function readTokenFile(file: string, label: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new UsageError(`${label}: cannot read ${file}.`);
  }
  const token = text.trim();
  if (!token || /\s/.test(token)) throw new UsageError(`${label}: ${file} must hold just the access token.`);
  return token;
}

/** A flag or variable counts as given when it is set and not blank (`SHOPIFY_STORE= bulkfill …` unsets it). */
function given(value: string | undefined, source: string): Given | undefined {
  return value !== undefined && value.trim() !== '' ? { value, source } : undefined;
}

function describeGiven({ source, value }: Given): string {
  return source.startsWith('--') ? `${source} ${value}` : `${source}=${value}`;
}

function sameStore(endpoint: StoreEndpoint, profileStore: string): boolean {
  try {
    return resolveStore(profileStore).origin === endpoint.origin;
  } catch {
    return false;
  }
}

function displayOf(profileStore: string): string {
  try {
    return resolveStore(profileStore).display;
  } catch {
    return profileStore;
  }
}

/** Runs `resolve`, naming the profile and its file in a UsageError it throws. */
function inProfile<T>(chosen: ChosenProfile, resolve: () => T): T {
  try {
    return resolve();
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    throw new UsageError(`Profile "${chosen.name}" (${chosen.config.path}): ${error.message}`, error.hint, { cause: error });
  }
}

function whereProfiles(configDir: string | undefined): string {
  return configDir === undefined ? '' : ` Profiles live in ${configFilePath(configDir)}.`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
