// `startSandbox`: a local Shopify store speaking the Admin GraphQL API on 127.0.0.1.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { BlockList, isIPv4, isIPv6, type AddressInfo } from 'node:net';
import { createSandboxClock } from './clock.js';
import { LeakyBucket } from './cost/index.js';
import { SandboxConfigError } from './errors.js';
import { FaultInjector, parseFaultSpec } from './faults.js';
import { KNOWN_SCOPES, MERCHANT_SCOPES, Scopes } from './graphql/scopes.js';
import { existsSync } from 'node:fs';
import { StateSaver } from './persistence.js';
import { PLAN_NAMES, PLANS, type PlanName } from './plans.js';
import { seededRandom } from './random.js';
import { createRequestHandler, HEADERS_TIMEOUT_MS, REQUEST_TIMEOUT_MS, type SandboxServerState } from './server.js';
import { Counters } from './store/counters.js';
import { handleEvent, scheduleWaitingRequests } from './store/events.js';
import { loadFixtureFile } from './store/fixture.js';
import type { StoreData } from './store/model.js';
import { generateStore } from './store/seed.js';
import { SandboxStore } from './store/store.js';

// The package's public API: the CLI, the tests and the benchmarks use only this (and ./options.ts).
export { SandboxConfigError } from './errors.js';
export { PLAN_NAMES, PLANS, type PlanName } from './plans.js';
export { generateStore, type GenerateStoreOptions } from './store/seed.js';
export type * from './store/model.js';
export type { CountersSnapshot } from './store/counters.js';
export { seededRandom, type Random } from './random.js';

export interface SandboxOptions {
  /** 0 picks a free port. */
  port: number;
  /** Loopback only: 127.0.0.1 (default), another 127.x.y.z, ::1 or localhost. */
  host?: string;
  orders: number;
  seed: number;
  fixturePath?: string;
  statePath?: string;
  plan: PlanName;
  bucketSize?: number;
  restoreRate?: number;
  /** Every sandbox clock runs this many times faster than real time. */
  timeScale: number;
  faults?: string;
  /** Scopes of the printed token; all merchant scopes when absent. */
  scopes?: string[];
  /** A fixed token instead of a random one (tests, demos). */
  token?: string;
  cancelJobDelayMs?: number;
  /** Longest time a client may take to send one whole request (tests shorten it); default REQUEST_TIMEOUT_MS. */
  requestTimeoutMs?: number;
}

export interface RunningSandbox {
  url: string;
  token: string;
  port: number;
  store: SandboxStore;
  close(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions): Promise<RunningSandbox> {
  checkOptions(options);
  const faults = new FaultInjector(parseFaultSpec(options.faults), seededRandom(options.seed ^ 0x5eed));
  const clock = createSandboxClock(options.timeScale);
  const data = loadData(options, new Date(clock.now()));
  if (options.cancelJobDelayMs !== undefined) data.cancelJobDelayMs = options.cancelJobDelayMs;
  const store = new SandboxStore(data, { clock: clock.now, counters: new Counters(), seed: options.seed });
  store.onEvent(handleEvent);
  scheduleWaitingRequests(store);
  const saver = options.statePath ? new StateSaver(options.statePath, () => store.data) : null;
  if (saver) store.onChange(() => saver.changed());

  const plan = PLANS[options.plan];
  const buckets = new Map<string, LeakyBucket>();
  const tokens = new Map<string, Scopes>();
  const createToken = (scopes: string[] | undefined, token = `shpat_${randomBytes(16).toString('hex')}`) => {
    const unknown = (scopes ?? []).filter((scope) => !KNOWN_SCOPES.includes(scope));
    if (unknown.length) throw new SandboxConfigError(`unknown access scope ${unknown.join(', ')}; known: ${KNOWN_SCOPES.join(', ')}`);
    const granted = new Scopes(scopes ?? MERCHANT_SCOPES);
    tokens.set(token, granted);
    return { token, scopes: granted.list() };
  };
  const state: SandboxServerState = {
    store,
    faults,
    tokens,
    timeScale: options.timeScale,
    createToken,
    advanceClock: clock.advance,
    bucketFor(token) {
      let bucket = buckets.get(token);
      if (!bucket) {
        // The bucket refills in real time, k times faster under --time-scale, and says so in restoreRate.
        bucket = new LeakyBucket({
          maximumAvailable: options.bucketSize ?? plan.maximumAvailable,
          restoreRate: (options.restoreRate ?? plan.restoreRate) * options.timeScale,
          now: () => performance.now(),
        });
        buckets.set(token, bucket);
      }
      return bucket;
    },
  };
  const { token } = createToken(options.scopes, options.token);

  // A client that sends its headers or body too slowly (slow loris) gets 408 and loses the connection;
  // requests are checked every second, so the cut comes at most a second after the limit.
  const requestTimeout = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
  const server = createServer(
    {
      keepAliveTimeout: 5_000,
      requestTimeout,
      headersTimeout: Math.min(HEADERS_TIMEOUT_MS, requestTimeout),
      connectionsCheckingInterval: Math.min(1_000, requestTimeout),
    },
    createRequestHandler(state),
  );
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new SandboxConfigError(`port ${options.port} is already in use`) : error),
    );
    server.listen(options.port, host === 'localhost' ? host : unbracketed(host), resolve);
  });
  const { address, port, family } = server.address() as AddressInfo;
  if (!isLoopbackAddress(address)) {
    // `localhost` resolved to something else: never serve there.
    await new Promise<void>((resolve) => server.close(() => resolve()));
    throw new SandboxConfigError(`--host ${host} resolves to ${address}, which is not a loopback address`);
  }
  store.baseUrl = `http://${family === 'IPv6' ? `[${address}]` : address}:${port}`;
  return {
    url: store.baseUrl,
    token,
    port,
    store,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await saver?.flush();
    },
  };
}

function loadData(options: SandboxOptions, now: Date): StoreData {
  if (options.statePath && existsSync(options.statePath)) return loadFixtureFile(options.statePath);
  if (options.fixturePath) return loadFixtureFile(options.fixturePath);
  return generateStore({ orders: options.orders, seed: options.seed, now });
}

function checkOptions(options: SandboxOptions): void {
  const positive = (value: number | undefined, flag: string, allowZero = false) => {
    if (value === undefined) return;
    if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
      throw new SandboxConfigError(`${flag} must be a ${allowZero ? 'non-negative' : 'positive'} number`);
    }
  };
  if (!PLAN_NAMES.includes(options.plan)) throw new SandboxConfigError(`--plan must be one of ${PLAN_NAMES.join(', ')}`);
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) throw new SandboxConfigError('--port must be 0..65535');
  if (options.host !== undefined && options.host !== 'localhost' && !isLoopbackAddress(unbracketed(options.host))) {
    throw new SandboxConfigError(
      `--host must be a loopback address (127.0.0.1, ::1 or localhost), not ${JSON.stringify(options.host)}: ` +
        'the sandbox is a test double with no real security and must not be reachable from other machines',
    );
  }
  if (!Number.isInteger(options.orders) || options.orders < 0) throw new SandboxConfigError('--orders must be a whole number');
  positive(options.timeScale, '--time-scale');
  positive(options.bucketSize, '--bucket-size');
  positive(options.restoreRate, '--restore-rate');
  positive(options.cancelJobDelayMs, '--cancel-delay', true);
  positive(options.requestTimeoutMs, 'requestTimeoutMs');
}

const unbracketed = (host: string) => (host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host);

/** 127.0.0.0/8 or ::1 (in any IPv6 spelling, or IPv4-mapped 127.x). Names are not addresses. */
function isLoopbackAddress(address: string): boolean {
  if (isIPv4(address)) return address.startsWith('127.');
  if (!isIPv6(address)) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!.startsWith('127.');
  return LOOPBACK_V6.check(address, 'ipv6');
}

const LOOPBACK_V6 = new BlockList();
LOOPBACK_V6.addAddress('::1', 'ipv6');
