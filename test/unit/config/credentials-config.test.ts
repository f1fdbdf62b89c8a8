// The config file behind --profile: format errors, permissions.
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { loadConfig, parseConfig } from '../../../src/config/config-file.js';
import { UsageError } from '../../../src/errors.js';

const FILE = '/home/u/.config/bulkfill/config.json';

function parseError(text: string): UsageError {
  try {
    parseConfig(text, FILE);
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error(`accepted: ${text}`);
}

describe('parseConfig', () => {
  it('reads profiles and the default profile', () => {
    const text = JSON.stringify({
      defaultProfile: 'main',
      profiles: {
        main: { store: 'main-shop.myshopify.com', tokenFile: 'main.token', apiVersion: '2026-07' },
        sandbox: { store: 'http://127.0.0.1:8787', token: 'shpat_x' },
      },
    });
    expect(parseConfig(`\uFEFF${text}`, FILE)).toEqual({
      path: FILE,
      defaultProfile: 'main',
      profiles: {
        main: { store: 'main-shop.myshopify.com', tokenFile: 'main.token', apiVersion: '2026-07' },
        sandbox: { store: 'http://127.0.0.1:8787', token: 'shpat_x' },
      },
    });
  });

  it.each([
    ['{\n  "profiles": {},\n}', /is not valid JSON: .*\(line 3, column 1\)\./],
    ['', /is not valid JSON/],
    ['[]', /the file must be an object, got an array/],
    ['{}', /: profiles is required\./],
    ['{ "profiles": [] }', /: profiles must be an object, got an array\./],
    ['{ "profiles": { "a": { "token": "t" } } }', /: profiles\.a\.store is required\./],
    ['{ "profiles": { "a": { "store": 42 } } }', /: profiles\.a\.store must be a string, got 42\./],
    ['{ "profiles": { "a": { "store": "  " } } }', /: profiles\.a\.store must not be empty\./],
    [
      '{ "profiles": { "my shop": { "store": "s", "tokenfile": "x" } } }',
      /: profiles\["my shop"\]\.tokenfile is not a known field; known: store, token, tokenFile, apiVersion\./,
    ],
    ['{ "profile": {} }', /: profile is not a known field; known: defaultProfile, profiles\./],
    [
      '{ "profiles": { "a": { "store": "s", "apiVersion": "2020-01" } } }',
      /: profiles\.a\.apiVersion must be one of 2026-07, 2026-10, got "2020-01"\./,
    ],
    ['{ "profiles": { "a": { "store": "s", "token": "t", "tokenFile": "f" } } }', /: profiles\.a has both token and tokenFile; keep one\./],
    ['{ "profiles": { "a": { "store": "s", "token": "two words" } } }', /: profiles\.a\.token must be just the access token, without spaces\./],
    ['{ "defaultProfile": "b", "profiles": { "a": { "store": "s" } } }', /: defaultProfile names no profile of this file \(profiles: a\)\./],
  ])('refuses %s', (text, message) => {
    const error = parseError(text);
    expect(error.message).toMatch(new RegExp(`^Config file ${FILE.replace(/[.]/g, '\\.')}`));
    expect(error.message).toMatch(message);
    expect(error.hint).toMatch(/README\.md, "Configuration"/);
  });

  it('never echoes a token in its messages', () => {
    for (const text of [
      '{ "profiles": { "a": { "store": "s", "token": shpat_s3cret } } }',
      '{ "profiles": { "a": { "store": "s", "token": ["shpat_s3cret"] } } }',
      '{ "profiles": { "a": { "store": "s", "token": "shpat_s3cret x" } } }',
      '{ "profiles": { "a": { "store": "s", "token": 123456789 } } }',
    ]) {
      const error = parseError(text);
      expect(`${error.message} ${error.hint}`).not.toMatch(/s3cret|123456789/);
    }
  });
});

describe('loadConfig', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'bulkfill-config-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const write = async (config: unknown, mode: number) => {
    const file = path.join(dir, 'config.json');
    await writeFile(file, JSON.stringify(config));
    await chmod(file, mode);
    return file;
  };
  const withToken = { profiles: { a: { store: 'shop', token: 'shpat_x' } } };
  const withoutToken = { profiles: { a: { store: 'shop', tokenFile: 'a.token' } } };

  it('is undefined when there is no config file', async () => {
    expect(await loadConfig(dir)).toBeUndefined();
    expect(await loadConfig(path.join(dir, 'missing'))).toBeUndefined();
  });

  it('accepts a file holding a token when it is private (0600, 0400)', async () => {
    await write(withToken, 0o600);
    expect((await loadConfig(dir))?.profiles.a?.token).toBe('shpat_x');
    await write(withToken, 0o400);
    expect((await loadConfig(dir))?.profiles.a?.token).toBe('shpat_x');
  });

  it.each(['644', '640', '604', '620', '660'])('refuses a file holding a token with mode %s, naming chmod 600', async (octal) => {
    const mode = Number.parseInt(octal, 8);
    const file = await write(withToken, mode);
    const error = await loadConfig(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toContain(`(mode ${octal})`);
    expect((error as UsageError).hint).toBe(`Make it private to you: chmod 600 ${file}`);
  });

  it('accepts a readable file that holds no token (tokenFile only)', async () => {
    await write(withoutToken, 0o644);
    expect((await loadConfig(dir))?.profiles.a?.tokenFile).toBe('a.token');
  });

  it('does not check permission bits on Windows', async () => {
    await write(withToken, 0o644);
    expect((await loadConfig(dir, { platform: 'win32' }))?.profiles.a?.token).toBe('shpat_x');
  });

  it('names the file when it is not a file', async () => {
    await mkdir(path.join(dir, 'config.json'));
    await expect(loadConfig(dir)).rejects.toThrow(`Config file ${path.join(dir, 'config.json')} is not a file.`);
  });
});
