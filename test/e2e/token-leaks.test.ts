// The access token never shows up where bulkfill writes: stdout, stderr, --json,
// --verbose output, error messages, the run's journal and its failures CSV. Each case below is built
// to provoke an error or a detailed output with a real token present, then looks for the token in
// every output and every file the run wrote. (The global leak scan, test/helpers/leak-scan.ts, checks
// the same of every other test's outputs.)
//
// Inputs that hold the token on purpose (token files, config files) live in a directory of their own
// that is removed after this file; what bulkfill writes goes to bulkfill-* state dirs that stay for the
// global scan.
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { main } from '../../src/cli.js';
import type { Transport } from '../../src/shopify/transport.js';
import { runBin, type RunResult } from '../helpers/bin.js';
import { createTestContext } from '../helpers/context.js';
import { createToken, sandbox } from '../helpers/sandbox.js';
import { fixtureFile, order, store } from '../helpers/store-builder.js';

const TOKEN_SHAPE = /shpat_[0-9a-f]{32}/;
const CANCEL_FLAGS = ['--reason', 'other', '--refund', 'now', '--restock', '--yes'];

const inputs = mkdtempSync(join(tmpdir(), 'token-inputs-'));
afterAll(() => rmSync(inputs, { recursive: true, force: true }));

let inputCount = 0;
function inputDir(): string {
  const dir = join(inputs, String(++inputCount));
  mkdirSync(dir);
  return dir;
}

async function setup() {
  const paidOrders = [order(), order(), order()];
  const sb = await sandbox({ fixturePath: fixtureFile(store(paidOrders)), timeScale: 20 });
  return { sb, ids: paidOrders.map((o) => String(o.id)) };
}

function newStateDir(): string {
  return mkdtempSync(join(tmpdir(), 'bulkfill-leaktest-'));
}

/** Every file under `dir`, with its text. */
function filesUnder(dir: string): { path: string; text: string }[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile())
    .map((path) => ({ path, text: readFileSync(path, 'utf8') }));
}

/** No token (the ones named, or anything shaped like one) in the outputs or in the files under `dirs`. */
function expectNoToken(tokens: string[], outputs: Record<string, string>, dirs: string[] = []): void {
  const places = [
    ...Object.entries(outputs).map(([where, text]) => ({ where, text })),
    ...dirs.flatMap(filesUnder).map(({ path, text }) => ({ where: path, text })),
  ];
  for (const { where, text } of places) {
    for (const token of tokens) expect(text.includes(token), `token in ${where}`).toBe(false);
    expect(TOKEN_SHAPE.test(text), `token-shaped string in ${where}`).toBe(false);
  }
}

const outputsOf = (result: RunResult) => ({ stdout: result.stdout, stderr: result.stderr });

describe('the token stays out of every output and file', () => {
  it('a successful run with --json and --verbose: stdout, stderr, journal', async () => {
    const { sb, ids } = await setup();
    const stateDir = newStateDir();
    const result = await runBin(['--verbose', 'cancel', ids[0]!, ...CANCEL_FLAGS, '--json'], {
      SHOPIFY_STORE: sb.url,
      SHOPIFY_ACCESS_TOKEN: sb.token,
      BULKFILL_STATE_DIR: stateDir,
      CI: 'true',
    });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).summary.done).toBe(1);
    expect(filesUnder(stateDir).some((file) => file.path.endsWith('.jsonl'))).toBe(true);
    expectNoToken([sb.token], outputsOf(result), [stateDir]);
  });

  it('failed orders: the failures CSV, the journal, --json and --verbose output', async () => {
    const { sb, ids } = await setup();
    const stateDir = newStateDir();
    const failures = join(stateDir, 'failed.csv');
    const result = await runBin(['--verbose', 'cancel', ids[1]!, '999999', ...CANCEL_FLAGS, '--json', '--failures', failures], {
      SHOPIFY_STORE: sb.url,
      SHOPIFY_ACCESS_TOKEN: sb.token,
      BULKFILL_STATE_DIR: stateDir,
      CI: 'true',
    });
    expect(result.code).toBe(3);
    expect(readFileSync(failures, 'utf8')).toContain('999999');
    expectNoToken([sb.token], outputsOf(result), [stateDir]);
  });

  it('a revoked token (401): exit 4, the message says so without the token', async () => {
    const { sb, ids } = await setup();
    const other = await sandbox({ orders: 1 });
    const revoked = other.token; // never known to sb: answered 401 like a revoked token
    await other.close();
    const stateDir = newStateDir();
    const result = await runBin(['--verbose', 'cancel', ids[0]!, ...CANCEL_FLAGS, '--json'], {
      SHOPIFY_STORE: sb.url,
      SHOPIFY_ACCESS_TOKEN: revoked,
      BULKFILL_STATE_DIR: stateDir,
      CI: 'true',
    });
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/access token/i);
    expectNoToken([revoked, sb.token], outputsOf(result), [stateDir]);
  });

  it('a token without write_orders (ACCESS_DENIED): exit 4, no token in the output or journal', async () => {
    const { sb, ids } = await setup();
    const limited = await createToken(sb, ['read_orders']);
    const stateDir = newStateDir();
    const result = await runBin(['--verbose', 'cancel', ids[0]!, ...CANCEL_FLAGS], {
      SHOPIFY_STORE: sb.url,
      SHOPIFY_ACCESS_TOKEN: limited.token,
      BULKFILL_STATE_DIR: stateDir,
      CI: 'true',
    });
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/write_orders/);
    expectNoToken([limited.token, sb.token], outputsOf(result), [stateDir]);
  });

  it('refused stores, the token in the store URL included: exit 2, never echoed', async () => {
    const { sb } = await setup();
    const port = new URL(sb.url).port;
    for (const bad of [
      'http://example.com',
      'shop.myshopfy.com',
      `https://${sb.token}@shop.myshopify.com`,
      `https://user:${sb.token}@shop.myshopify.com`,
      `http://user:${sb.token}@127.0.0.1:${port}`,
      `ftp://${sb.token}@127.0.0.1:${port}`,
    ]) {
      const stateDir = newStateDir();
      const result = await runBin(['--verbose', 'cancel', '1', ...CANCEL_FLAGS, '--store', bad], {
        SHOPIFY_ACCESS_TOKEN: sb.token,
        BULKFILL_STATE_DIR: stateDir,
        CI: 'true',
      });
      expect(result.code, bad.replace(sb.token, '<token>')).toBe(2);
      expect(result.stderr).toMatch(/^error: Store /);
      expectNoToken([sb.token], outputsOf(result), [stateDir]);
    }
  });

  it('a config profile with an inline token that others may read: refused, naming chmod 600, not the token', async () => {
    const { sb, ids } = await setup();
    const config = inputDir();
    mkdirSync(join(config, 'bulkfill'));
    const file = join(config, 'bulkfill', 'config.json');
    writeFileSync(file, JSON.stringify({ profiles: { main: { store: sb.url, token: sb.token } } }));
    chmodSync(file, 0o644);
    const stateDir = newStateDir();
    const env = { XDG_CONFIG_HOME: config, BULKFILL_STATE_DIR: stateDir, CI: 'true' };
    const refused = await runBin(['--verbose', 'cancel', ids[0]!, ...CANCEL_FLAGS, '--profile', 'main', '--json'], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`chmod 600 ${file}`);
    expectNoToken([sb.token], outputsOf(refused), [stateDir]);

    // Made private, the same profile runs; its token still stays out of the output and the journal.
    chmodSync(file, 0o600);
    const ran = await runBin(['--verbose', 'cancel', ids[0]!, ...CANCEL_FLAGS, '--profile', 'main', '--json'], env);
    expect(ran.code).toBe(0);
    expectNoToken([sb.token], outputsOf(ran), [stateDir]);

    // The profile's token is not sent to another store, and the refusal does not show it.
    const elsewhere = await runBin(['cancel', ids[1]!, ...CANCEL_FLAGS, '--profile', 'main', '--store', 'other-shop'], env);
    expect(elsewhere.code).toBe(2);
    expect(elsewhere.stderr).toMatch(/its token is not sent to another store/);
    expectNoToken([sb.token], outputsOf(elsewhere), [stateDir]);
  });

  it.each([
    ['not valid JSON (the parser would quote the text)', (token: string) => `{ "profiles": { "main": { "store": "shop", "token": ${token} } } }`],
    ['a token that is not a string', (token: string) => JSON.stringify({ profiles: { main: { store: 'shop', token: [token] } } })],
    ['a token with a space', (token: string) => JSON.stringify({ profiles: { main: { store: 'shop', token: `${token} extra` } } })],
    ['a token beside tokenFile', (token: string) => JSON.stringify({ profiles: { main: { store: 'shop', token, tokenFile: 'x' } } })],
    ['an unknown field beside the token', (token: string) => JSON.stringify({ profiles: { main: { store: 'shop', token, tokn: token } } })],
  ])('a config file with %s: exit 2 naming the file, not the token', async (_what, content) => {
    const { sb } = await setup();
    const config = inputDir();
    mkdirSync(join(config, 'bulkfill'));
    const file = join(config, 'bulkfill', 'config.json');
    writeFileSync(file, content(sb.token), { mode: 0o600 });
    const stateDir = newStateDir();
    const result = await runBin(['--verbose', 'cancel', '1', ...CANCEL_FLAGS, '--profile', 'main'], {
      XDG_CONFIG_HOME: config,
      BULKFILL_STATE_DIR: stateDir,
      CI: 'true',
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(file);
    expectNoToken([sb.token], outputsOf(result), [stateDir]);
  });

  it('--token-file that cannot be read, or holds more than the token: exit 2, never echoes its content', async () => {
    const { sb } = await setup();
    const dir = inputDir();
    const twoLines = join(dir, 'two-lines.token');
    writeFileSync(twoLines, `${sb.token}\n${sb.token}\n`, { mode: 0o600 });
    const withSpace = join(dir, 'with-space.token');
    writeFileSync(withSpace, `token: ${sb.token}\n`, { mode: 0o600 });
    for (const tokenFile of [dir /* a directory: EISDIR */, join(dir, 'missing.token'), twoLines, withSpace]) {
      const stateDir = newStateDir();
      const result = await runBin(['--verbose', 'cancel', '1', ...CANCEL_FLAGS, '--store', sb.url, '--token-file', tokenFile], {
        BULKFILL_STATE_DIR: stateDir,
        CI: 'true',
      });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('--token-file');
      expectNoToken([sb.token], outputsOf(result), [stateDir]);
    }
  });

  it('the token as a flag value, or SHOPIFY_ACCESS_TOKEN with more than the token: exit 2, not echoed', async () => {
    const { sb } = await setup();
    const stateDir = newStateDir();
    const env = { SHOPIFY_STORE: sb.url, BULKFILL_STATE_DIR: stateDir, CI: 'true' };
    const runs = [
      await runBin(['cancel', '1', ...CANCEL_FLAGS, '--token', sb.token], env),
      await runBin(['cancel', '1', ...CANCEL_FLAGS, `--token=${sb.token}`], env),
      await runBin(['--verbose', 'cancel', '1', ...CANCEL_FLAGS], { ...env, SHOPIFY_ACCESS_TOKEN: `${sb.token} ${sb.token}` }),
    ];
    for (const result of runs) {
      expect(result.code).toBe(2);
      expectNoToken([sb.token], outputsOf(result), [stateDir]);
    }
  });

  it('--verbose with an unexpected error: the stack trace is shown, the token is not', async () => {
    const { sb, ids } = await setup();
    const stateDir = newStateDir();
    const ctx = createTestContext({
      env: { SHOPIFY_STORE: sb.url, SHOPIFY_ACCESS_TOKEN: sb.token },
      stateDir,
      realClock: true,
    });
    // A bug after the first request went out: a transport that sends, then throws.
    const real = ctx.network.createTransport;
    (ctx.network as { createTransport: typeof real }).createTransport = (options) => {
      const transport = real(options);
      const failing: Transport = {
        async request(document, variables, requestOptions) {
          await transport.request(document, variables, requestOptions);
          throw new TypeError("Cannot read properties of undefined (reading 'nodes')");
        },
        close: () => transport.close(),
      };
      return failing;
    };
    const code = await main(['--verbose', 'cancel', ids[0]!, ...CANCEL_FLAGS, '--json'], ctx);
    expect(code).toBe(1);
    expect(ctx.stderrText()).toContain("TypeError: Cannot read properties of undefined (reading 'nodes')");
    expect(ctx.stderrText()).toMatch(/\n\s+at /); // the stack
    expectNoToken([sb.token], { stdout: ctx.stdoutText(), stderr: ctx.stderrText() }, [stateDir]);
  });
});
