// The user's config file, `<configDir>/config.json` (see app-dirs.ts for where that is): named
// profiles, each a store with its token and API version, so `--profile shop` replaces three flags.
//
//   { "defaultProfile": "main",
//     "profiles": { "main": { "store": "my-shop.myshopify.com", "tokenFile": "main.token", "apiVersion": "2026-10" } } }
//
// Unknown fields are refused (a typo would otherwise silently drop a setting), and every error names the
// file and the JSON path. A file holding a token must not be readable or writable by anyone but its
// owner (mode 600): it is refused otherwise, like ssh refuses a private key others can read.
import { open } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod/v4';

import { UsageError } from '../errors.js';
import { SUPPORTED_API_VERSIONS, type ApiVersion } from '../shopify/api-versions.js';

export const CONFIG_FILE_NAME = 'config.json';

export interface Profile {
  store: string;
  /** The access token itself; only allowed in a file that is private to its owner. */
  token?: string;
  /** A file holding the access token: absolute, or relative to the config directory. */
  tokenFile?: string;
  apiVersion?: ApiVersion;
}

export interface ConfigFile {
  /** Where it was read from: named in every error about it. */
  path: string;
  defaultProfile?: string;
  profiles: Readonly<Record<string, Profile>>;
}

export interface LoadConfigOptions {
  /** Permission bits mean nothing on Windows (every file looks 0666 or 0444), so they are not checked there. */
  platform?: NodeJS.Platform;
}

const PROFILE_FIELDS = ['store', 'token', 'tokenFile', 'apiVersion'] as const;
const ROOT_FIELDS = ['defaultProfile', 'profiles'] as const;

const nonEmpty = z.string().trim().min(1, 'must not be empty');

const ProfileSchema = z
  .strictObject({
    store: nonEmpty,
    token: nonEmpty.regex(/^\S+$/, 'must be just the access token, without spaces').optional(),
    tokenFile: nonEmpty.optional(),
    apiVersion: z.enum(SUPPORTED_API_VERSIONS).optional(),
  })
  .refine((profile) => profile.token === undefined || profile.tokenFile === undefined, {
    message: 'has both token and tokenFile; keep one',
  });

const ConfigSchema = z
  .strictObject({
    defaultProfile: nonEmpty.optional(),
    profiles: z.record(z.string(), ProfileSchema),
  })
  .superRefine((config, ctx) => {
    if (config.defaultProfile !== undefined && !Object.hasOwn(config.profiles, config.defaultProfile)) {
      ctx.addIssue({
        code: 'custom',
        path: ['defaultProfile'],
        message: `names no profile of this file (${profileList(Object.keys(config.profiles))})`,
      });
    }
  });

export function configFilePath(configDir: string): string {
  return path.join(configDir, CONFIG_FILE_NAME);
}

/** The config file of `configDir`, validated; undefined when there is none. */
export async function loadConfig(configDir: string, options: LoadConfigOptions = {}): Promise<ConfigFile | undefined> {
  const file = configFilePath(configDir);
  let text: string;
  let mode: number;
  try {
    const handle = await open(file, 'r');
    try {
      // Stat the open file, not the path: what is checked is what is read.
      const stats = await handle.stat();
      if (!stats.isFile()) throw new UsageError(`Config file ${file} is not a file.`);
      mode = stats.mode;
      text = await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new UsageError(`Config file ${file} cannot be read (${code ?? String(error)}).`);
  }
  const config = parseConfig(text, file);
  const platform = options.platform ?? os.platform();
  if (platform !== 'win32' && (mode & 0o077) !== 0 && Object.values(config.profiles).some((profile) => profile.token !== undefined)) {
    throw new UsageError(
      `Config file ${file} holds an access token but other users may read or change it (mode ${(mode & 0o777).toString(8)}).`,
      `Make it private to you: chmod 600 ${file}`,
    );
  }
  return config;
}

/** Validates the text of a config file; `file` names it in errors. */
export function parseConfig(text: string, file: string): ConfigFile {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw configError(file, `is not valid JSON: ${jsonErrorDetail(text, error)}`);
  }
  const result = ConfigSchema.safeParse(json, { reportInput: true });
  if (!result.success) throw issueError(result.error, file);
  const { defaultProfile, profiles } = result.data;
  return { path: file, ...(defaultProfile !== undefined ? { defaultProfile } : {}), profiles: stripUndefined(profiles) };
}

/** "profiles: a, b" or "it has no profiles", for messages about a missing profile. */
export function profileList(names: readonly string[]): string {
  return names.length === 0 ? 'it has no profiles' : `profiles: ${names.join(', ')}`;
}

function stripUndefined(profiles: Record<string, z.infer<typeof ProfileSchema>>): Record<string, Profile> {
  const out: Record<string, Profile> = Object.create(null) as Record<string, Profile>;
  for (const [name, profile] of Object.entries(profiles)) {
    out[name] = Object.fromEntries(Object.entries(profile).filter(([, value]) => value !== undefined)) as unknown as Profile;
  }
  return out;
}

function configError(file: string, detail: string): UsageError {
  return new UsageError(`Config file ${file} ${detail}.`, 'The format is described in README.md, "Configuration".');
}

/** The first problem zod found, as `<file>: <json path> <what is wrong>`. */
function issueError(error: z.ZodError, file: string): UsageError {
  const first = error.issues[0]!;
  // A misspelt field is also a missing one; the typo is the news.
  const issue = error.issues.find((i) => i.code === 'unrecognized_keys' && i.path.every((key, n) => first.path[n] === key)) ?? first;
  const keys = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!] : issue.path;
  const where = jsonPath(keys);
  return new UsageError(
    `Config file ${file}: ${where === '' ? 'the file' : where} ${detailOf(issue)}.`,
    'The format is described in README.md, "Configuration".',
  );
}

function detailOf(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = issue.path.length === 0 ? ROOT_FIELDS : PROFILE_FIELDS;
      return `is not a known field; known: ${known.join(', ')}`;
    }
    case 'invalid_type':
      if (issue.input === undefined) return 'is required';
      return `must be ${EXPECTED_TYPES[issue.expected] ?? issue.expected}${got(issue)}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map(String).join(', ')}${got(issue)}`;
    default:
      return issue.message;
  }
}

/** `, got <value>`; never for a token, which must not end up in a terminal's scrollback or a CI log. */
function got(issue: z.core.$ZodIssue): string {
  return issue.path.at(-1) === 'token' ? '' : `, got ${describe(issue.input)}`;
}

const EXPECTED_TYPES: Record<string, string> = {
  string: 'a string',
  object: 'an object',
  record: 'an object',
};

function jsonPath(keys: readonly PropertyKey[]): string {
  return keys
    .map((key) =>
      typeof key === 'number' ? `[${key}]` : /^[A-Za-z_][\w-]*$/.test(String(key)) ? `.${String(key)}` : `[${JSON.stringify(String(key))}]`,
    )
    .join('')
    .replace(/^\./, '');
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return JSON.stringify(value) ?? String(value);
}

/** The parser's message with its line and column, but without the excerpt V8 quotes: it may hold a token. */
function jsonErrorDetail(text: string, error: unknown): string {
  const message = (error instanceof Error ? error.message : String(error)).replace(/,\s*(?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s, '');
  const position = /at position (\d+)/.exec(message);
  if (!position) return message;
  const before = text.slice(0, Number(position[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `${message} (line ${line}, column ${column})`;
}
