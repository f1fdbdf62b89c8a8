import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { UsageError } from '../../../src/errors.js';
import { resolveConnection, type ConnectionFlags } from '../../../src/config/credentials.js';

let root: string;
let configDir: string;
let cwd: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'bulkfill-credentials-'));
  configDir = path.join(root, 'config');
  cwd = path.join(root, 'work');
  await mkdir(configDir);
  await mkdir(cwd);
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function writeConfig(config: unknown, mode = 0o600): Promise<string> {
  const file = path.join(configDir, 'config.json');
  await writeFile(file, JSON.stringify(config, null, 2));
  await chmod(file, mode);
  return file;
}

async function failure(promise: Promise<unknown>): Promise<UsageError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error('resolved, but a UsageError was expected');
}

const PROFILES = {
  defaultProfile: 'main',
  profiles: {
    main: { store: 'main-shop', token: 'tok-main', apiVersion: '2026-07' },
    other: { store: 'other-shop.myshopify.com', token: 'tok-other', apiVersion: '2026-07' },
    bare: { store: 'bare-shop' },
  },
};

describe('resolveConnection: precedence, field by field (flags > env > profile > default)', () => {
  type Row = {
    name: string;
    flags: ConnectionFlags;
    env: Record<string, string>;
    expected: { store: string; token: string; apiVersion: string };
  };
  const rows: Row[] = [
    {
      name: 'flags win over env and profile',
      flags: { store: 'flag-shop', tokenFile: 'token.txt', apiVersion: '2026-10', profile: 'other' },
      env: { SHOPIFY_STORE: 'env-shop', SHOPIFY_ACCESS_TOKEN: 'tok-env', SHOPIFY_API_VERSION: '2026-07' },
      expected: { store: 'flag-shop.myshopify.com', token: 'tok-file', apiVersion: '2026-10' },
    },
    {
      name: 'env wins over the profile',
      flags: { profile: 'other' },
      env: { SHOPIFY_STORE: 'other-shop', SHOPIFY_ACCESS_TOKEN: 'tok-env', SHOPIFY_API_VERSION: '2026-10' },
      expected: { store: 'other-shop.myshopify.com', token: 'tok-env', apiVersion: '2026-10' },
    },
    {
      name: 'a named profile fills in everything',
      flags: { profile: 'other' },
      env: {},
      expected: { store: 'other-shop.myshopify.com', token: 'tok-other', apiVersion: '2026-07' },
    },
    {
      name: 'BULKFILL_PROFILE names the profile',
      flags: {},
      env: { BULKFILL_PROFILE: 'other' },
      expected: { store: 'other-shop.myshopify.com', token: 'tok-other', apiVersion: '2026-07' },
    },
    {
      name: '--profile wins over BULKFILL_PROFILE',
      flags: { profile: 'other' },
      env: { BULKFILL_PROFILE: 'main' },
      expected: { store: 'other-shop.myshopify.com', token: 'tok-other', apiVersion: '2026-07' },
    },
    {
      name: 'the default profile fills in what flags and env leave out',
      flags: { apiVersion: '2026-10' },
      env: {},
      expected: { store: 'main-shop.myshopify.com', token: 'tok-main', apiVersion: '2026-10' },
    },
    {
      name: 'the token comes from env, the rest from the profile',
      flags: { profile: 'other' },
      env: { SHOPIFY_ACCESS_TOKEN: 'tok-env' },
      expected: { store: 'other-shop.myshopify.com', token: 'tok-env', apiVersion: '2026-07' },
    },
    {
      name: 'the default profile still applies to its own store given by flag',
      flags: { store: 'https://main-shop.myshopify.com' },
      env: {},
      expected: { store: 'main-shop.myshopify.com', token: 'tok-main', apiVersion: '2026-07' },
    },
    {
      name: 'the default profile is not used for another store',
      flags: { store: 'flag-shop' },
      env: { SHOPIFY_ACCESS_TOKEN: 'tok-env' },
      expected: { store: 'flag-shop.myshopify.com', token: 'tok-env', apiVersion: '2026-10' },
    },
    {
      name: 'without an API version anywhere, the default',
      flags: { profile: 'bare' },
      env: { SHOPIFY_ACCESS_TOKEN: 'tok-env' },
      expected: { store: 'bare-shop.myshopify.com', token: 'tok-env', apiVersion: '2026-10' },
    },
    {
      name: 'blank env values count as unset',
      flags: { profile: 'other' },
      env: { SHOPIFY_STORE: '', SHOPIFY_ACCESS_TOKEN: '  ', SHOPIFY_API_VERSION: '' },
      expected: { store: 'other-shop.myshopify.com', token: 'tok-other', apiVersion: '2026-07' },
    },
  ];

  it.each(rows)('$name', async ({ flags, env, expected }) => {
    await writeConfig(PROFILES);
    await writeFile(path.join(cwd, 'token.txt'), 'tok-file\n');
    const connection = await resolveConnection(flags, env, cwd, configDir);
    expect({ store: connection.endpoint.display, token: connection.accessToken, apiVersion: connection.apiVersion }).toEqual(expected);
  });

  it('works without a config directory, as before (flags and env only)', async () => {
    const connection = await resolveConnection({ store: 'shop' }, { SHOPIFY_ACCESS_TOKEN: ' tok ' }, cwd);
    expect(connection).toEqual({
      endpoint: { origin: 'https://shop.myshopify.com', display: 'shop.myshopify.com', loopback: false },
      accessToken: 'tok',
      apiVersion: '2026-10',
    });
  });

  it('does not read the config file when flags and env give everything', async () => {
    await writeFile(path.join(configDir, 'config.json'), '{ not json');
    const connection = await resolveConnection({ store: 'shop', apiVersion: '2026-07' }, { SHOPIFY_ACCESS_TOKEN: 'tok' }, cwd, configDir);
    expect(connection.accessToken).toBe('tok');
  });

  it('works when there is no config file', async () => {
    const connection = await resolveConnection({}, { SHOPIFY_STORE: 'shop', SHOPIFY_ACCESS_TOKEN: 'tok' }, cwd, configDir);
    expect(connection.endpoint.display).toBe('shop.myshopify.com');
  });

  it('accepts a loopback sandbox URL from a profile', async () => {
    await writeConfig({ profiles: { sandbox: { store: 'http://127.0.0.1:8787', token: 'shpat_sandbox' } } });
    const connection = await resolveConnection({ profile: 'sandbox' }, {}, cwd, configDir);
    expect(connection.endpoint).toEqual({ origin: 'http://127.0.0.1:8787', display: '127.0.0.1:8787', loopback: true });
  });
});

describe('resolveConnection: tokens', () => {
  it('reads --token-file relative to the working directory, trimmed', async () => {
    await writeFile(path.join(cwd, 'token'), '  shpat_abc\n');
    const connection = await resolveConnection({ store: 'shop', tokenFile: 'token' }, { SHOPIFY_ACCESS_TOKEN: 'tok-env' }, cwd, configDir);
    expect(connection.accessToken).toBe('shpat_abc');
  });

  it('refuses an unreadable or malformed --token-file', async () => {
    const missing = await failure(resolveConnection({ store: 'shop', tokenFile: 'nope' }, {}, cwd, configDir));
    expect(missing.message).toBe(`--token-file: cannot read ${path.join(cwd, 'nope')}.`);
    await writeFile(path.join(cwd, 'two'), 'one two\n');
    const twoWords = await failure(resolveConnection({ store: 'shop', tokenFile: 'two' }, {}, cwd, configDir));
    expect(twoWords.message).toMatch(/must hold just the access token/);
    await writeFile(path.join(cwd, 'empty'), '\n');
    await expect(resolveConnection({ store: 'shop', tokenFile: 'empty' }, {}, cwd, configDir)).rejects.toThrow(/must hold just the access token/);
  });

  it("reads a profile's tokenFile relative to the config directory", async () => {
    await writeFile(path.join(configDir, 'main.token'), 'shpat_from_file\n');
    await writeConfig({ profiles: { main: { store: 'shop', tokenFile: 'main.token' } } }, 0o644);
    const connection = await resolveConnection({ profile: 'main' }, {}, cwd, configDir);
    expect(connection.accessToken).toBe('shpat_from_file');
  });

  it('names the profile when its tokenFile cannot be read', async () => {
    const file = await writeConfig({ profiles: { main: { store: 'shop', tokenFile: '/nonexistent/main.token' } } });
    const error = await failure(resolveConnection({ profile: 'main' }, {}, cwd, configDir));
    expect(error.message).toBe(`Profile "main" (${file}): tokenFile: cannot read /nonexistent/main.token.`);
  });

  it('asks for a token when there is none, pointing at the config file', async () => {
    const error = await failure(resolveConnection({ store: 'shop' }, {}, cwd, configDir));
    expect(error.message).toBe('No access token.');
    expect(error.hint).toContain('SHOPIFY_ACCESS_TOKEN');
    expect(error.hint).toContain('--token-file');
    expect(error.hint).toContain(path.join(configDir, 'config.json'));
  });

  it('says when the chosen profile has no token', async () => {
    await writeConfig({ profiles: { bare: { store: 'shop' } } });
    const error = await failure(resolveConnection({ profile: 'bare' }, {}, cwd, configDir));
    expect(error.message).toBe('No access token.');
    expect(error.hint).toMatch(/Profile "bare" has no token or tokenFile/);
  });

  it("never sends a named profile's token to another store", async () => {
    await writeConfig(PROFILES);
    const error = await failure(resolveConnection({ profile: 'other', store: 'elsewhere' }, {}, cwd, configDir));
    expect(error.message).toBe(
      'Profile "other" is for other-shop.myshopify.com, but --store elsewhere names elsewhere.myshopify.com: its token is not sent to another store.',
    );
    expect(error.hint).toMatch(/Drop --store/);
    // With a token for the other store, the profile only supplies the API version.
    const connection = await resolveConnection({ profile: 'other' }, { SHOPIFY_STORE: 'elsewhere', SHOPIFY_ACCESS_TOKEN: 'tok-env' }, cwd, configDir);
    expect(connection).toMatchObject({ accessToken: 'tok-env', apiVersion: '2026-07', endpoint: { display: 'elsewhere.myshopify.com' } });
  });
});

describe('resolveConnection: refusals', () => {
  it('names the profiles when --profile names none of them', async () => {
    const file = await writeConfig(PROFILES);
    const error = await failure(resolveConnection({ profile: 'mian' }, {}, cwd, configDir));
    expect(error.message).toBe(`--profile mian: there is no profile "mian" in ${file}.`);
    expect(error.hint).toBe('Profiles: main, other, bare.');
  });

  it('names BULKFILL_PROFILE when it names no profile', async () => {
    await writeConfig({ profiles: {} });
    const error = await failure(resolveConnection({}, { BULKFILL_PROFILE: 'x' }, cwd, configDir));
    expect(error.message).toMatch(/^BULKFILL_PROFILE=x: there is no profile "x"/);
    expect(error.hint).toBe('It has no profiles.');
  });

  it('does not take an inherited property for a profile', async () => {
    await writeConfig(PROFILES);
    await expect(resolveConnection({ profile: 'constructor' }, {}, cwd, configDir)).rejects.toThrow(/no profile "constructor"/);
  });

  it('says there is no config file when a profile is named', async () => {
    const error = await failure(resolveConnection({ profile: 'main' }, {}, cwd, configDir));
    expect(error.message).toBe(`--profile main: there is no config file ${path.join(configDir, 'config.json')}, so no profile "main".`);
    expect(error.hint).toMatch(/"profiles"/);
  });

  it('refuses --profile without a config directory', async () => {
    await expect(resolveConnection({ profile: 'main' }, {}, cwd)).rejects.toThrow(/--profile main: profiles are not available/);
  });

  it('asks for a store when there is none', async () => {
    const error = await failure(resolveConnection({}, { SHOPIFY_ACCESS_TOKEN: 'tok' }, cwd, configDir));
    expect(error.message).toBe('No store given.');
    expect(error.hint).toMatch(/--store.*SHOPIFY_STORE.*--profile/);
  });

  it('refuses a mistyped store before reading any token', async () => {
    const error = await failure(resolveConnection({ store: 'shop.myshopfy.com', tokenFile: 'missing' }, {}, cwd, configDir));
    expect(error.message).toMatch(/did you mean shop\.myshopify\.com\?/);
  });

  it('names the profile when its store is refused', async () => {
    const file = await writeConfig({ profiles: { typo: { store: 'shop.myshopfy.com', token: 'tok' } } });
    const error = await failure(resolveConnection({ profile: 'typo' }, {}, cwd, configDir));
    expect(error.message).toBe(`Profile "typo" (${file}): Store "shop.myshopfy.com" is not a myshopify.com domain: did you mean shop.myshopify.com?`);
  });

  it.each([
    [{ apiVersion: '2020-01' }, {}, '--api-version 2020-01 is not a supported API version.'],
    [{}, { SHOPIFY_API_VERSION: '2020-01' }, 'SHOPIFY_API_VERSION=2020-01 is not a supported API version.'],
  ])('refuses an unsupported API version %j %j', async (flags, env, message) => {
    const error = await failure(resolveConnection({ store: 'shop', ...flags }, { SHOPIFY_ACCESS_TOKEN: 'tok', ...env }, cwd, configDir));
    expect(error.message).toBe(message);
    expect(error.hint).toBe('Supported: 2026-07, 2026-10.');
  });

  it('refuses a config file that holds a token and others can read, naming chmod 600', async () => {
    const file = await writeConfig(PROFILES, 0o644);
    const error = await failure(resolveConnection({ profile: 'main' }, {}, cwd, configDir));
    expect(error.message).toBe(`Config file ${file} holds an access token but other users may read or change it (mode 644).`);
    expect(error.hint).toBe(`Make it private to you: chmod 600 ${file}`);
  });
});
