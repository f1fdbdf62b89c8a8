// The sandbox's HTTP face: Shopify's Admin GraphQL endpoint with its auth, version and error shapes,
// injected faults, and the /__sandbox/ inspection routes for tests and curious users.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LeakyBucket } from './cost/index.js';
import { parseFaultSpec, type FaultInjector } from './faults.js';
import { answerAdminRequest, SUPPORTED_VERSIONS, type AdminAnswer } from './graphql/execute.js';
import type { Scopes } from './graphql/scopes.js';
import type { SandboxStore } from './store/store.js';
import { SandboxConfigError } from './errors.js';

export const MAX_BODY_BYTES = 1024 * 1024;
/** A client gets this long to send its headers, and REQUEST_TIMEOUT_MS for the whole request; then 408. */
export const HEADERS_TIMEOUT_MS = 10_000;
export const REQUEST_TIMEOUT_MS = 30_000;
const ADMIN_PATH = /^\/admin\/api\/([^/]+)\/graphql\.json$/;

export interface SandboxServerState {
  store: SandboxStore;
  faults: FaultInjector;
  tokens: Map<string, Scopes>;
  bucketFor(token: string): LeakyBucket;
  createToken(scopes: string[] | undefined): { token: string; scopes: string[] };
  advanceClock(ms: number): void;
  /** Shopify's Retry-After is in seconds of real time; under --time-scale it shrinks with everything else. */
  timeScale: number;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    /** Answer with `Connection: close` (the rest of the request is not read). */
    readonly close = false,
  ) {
    super(`HTTP ${status}`);
  }
}

export function createRequestHandler(state: SandboxServerState) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    handle(state, req, res).catch((error: unknown) => {
      const [status, body] = error instanceof HttpError ? [error.status, error.body] : [500, { errors: 'Internal Server Error' }];
      if (res.headersSent || res.destroyed) return;
      if (error instanceof HttpError && error.close) res.setHeader('Connection', 'close');
      sendJson(res, status, body);
    });
  };
}

async function handle(state: SandboxServerState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = parseUrl(req.url ?? '/');
  if (!url) return sendJson(res, 404, { errors: 'Not Found' });
  if (url.pathname.startsWith('/__sandbox/')) return inspect(state, req, res, url);
  const admin = ADMIN_PATH.exec(url.pathname);
  if (!admin || req.method !== 'POST') return sendJson(res, 404, { errors: 'Not Found' });
  return adminGraphql(state, req, res, admin[1]!);
}

function parseUrl(path: string): URL | null {
  try {
    return new URL(path, 'http://sandbox');
  } catch {
    return null;
  }
}

async function adminGraphql(state: SandboxServerState, req: IncomingMessage, res: ServerResponse, version: string): Promise<void> {
  const counters = state.store.counters.requests;
  counters.total++;
  if (!SUPPORTED_VERSIONS.includes(version)) return sendJson(res, 404, { errors: 'Not Found' });
  const token = req.headers['x-shopify-access-token'];
  const scopes = typeof token === 'string' ? state.tokens.get(token) : undefined;
  if (!scopes || typeof token !== 'string') {
    return sendJson(res, 401, { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' });
  }
  const body = await readJsonBody(req);
  counters.graphql++;

  const fault = state.faults.next();
  if (fault) state.store.counters.fault(fault);
  switch (fault) {
    case '503':
      return sendJson(res, 503, { errors: 'Service Unavailable' });
    case '500':
      return sendJson(res, 500, { errors: 'Internal Server Error' });
    case '429': {
      const seconds = state.faults.config.retryAfterSeconds / state.timeScale;
      res.setHeader('Retry-After', seconds.toFixed(1));
      return sendJson(res, 429, { errors: 'Exceeded the rate limit for this resource. Retry after the time in Retry-After.' });
    }
    case 'reset-before':
      req.socket.destroy();
      return;
  }

  const answer = answerAdminRequest(body, { version, store: state.store, scopes, bucket: state.bucketFor(token), token });
  tally(state, answer);
  switch (fault) {
    case 'reset-after':
      req.socket.destroy(); // applied, but the answer is lost
      return;
    case 'malformed': {
      const text = JSON.stringify(answer.body);
      res.writeHead(answer.status, { 'Content-Type': 'application/json; charset=utf-8' });
      res.end(text.slice(0, Math.floor(text.length / 2)));
      return;
    }
    case 'slow':
      await sleep(state.faults.config.slowMs);
      if (res.destroyed) return;
  }
  sendJson(res, answer.status, answer.body);
}

function tally(state: SandboxServerState, answer: AdminAnswer): void {
  const counters = state.store.counters.requests;
  if (answer.kind === 'throttled') counters.throttled++;
  if (answer.kind === 'max-cost-exceeded') counters.maxCostExceeded++;
}

async function inspect(state: SandboxServerState, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const route = `${req.method} ${url.pathname}`;
  switch (route) {
    case 'GET /__sandbox/health':
      return sendJson(res, 200, { ok: true, versions: SUPPORTED_VERSIONS });
    case 'GET /__sandbox/state':
      state.store.advance();
      return sendJson(res, 200, state.store.data);
    case 'GET /__sandbox/counters':
      state.store.advance();
      return sendJson(res, 200, state.store.counters.snapshot());
    case 'POST /__sandbox/counters/reset':
      state.store.counters.reset();
      return sendJson(res, 200, { ok: true });
    case 'POST /__sandbox/tokens': {
      const body = (await readJsonBody(req)) as { scopes?: unknown };
      const scopes = Array.isArray(body.scopes) ? body.scopes : undefined;
      if (scopes?.some((scope) => typeof scope !== 'string')) throw new HttpError(400, { errors: 'scopes must be a list of strings' });
      return sendJson(
        res,
        200,
        withConfigErrors(() => state.createToken(scopes)),
      );
    }
    case 'POST /__sandbox/clock': {
      const body = (await readJsonBody(req)) as { advanceMs?: unknown };
      const ms = typeof body.advanceMs === 'number' || typeof body.advanceMs === 'string' ? Number(body.advanceMs) : NaN;
      if (!Number.isFinite(ms) || ms < 0 || state.store.now() + ms >= LATEST_CLOCK_MS) {
        throw new HttpError(400, { errors: 'advanceMs must be a non-negative number that keeps the clock before the year 10000' });
      }
      state.advanceClock(ms);
      state.store.advance();
      return sendJson(res, 200, { now: state.store.nowIso() });
    }
    case 'POST /__sandbox/faults': {
      const body = (await readJsonBody(req)) as { spec?: unknown };
      state.faults.config = withConfigErrors(() => parseFaultSpec(typeof body.spec === 'string' ? body.spec : ''));
      return sendJson(res, 200, state.faults.config);
    }
    default: {
      const bulk = req.method === 'GET' ? BULK_FILE_PATH.exec(url.pathname) : null;
      if (bulk) return sendBulkFile(state, res, Number(bulk[1]));
      return sendJson(res, 404, { errors: 'Not Found' });
    }
  }
}

/** Dates must stay printable as ISO 8601 with a four-digit year (`Date#toISOString` throws past ±275760). */
const LATEST_CLOCK_MS = Date.UTC(10000, 0, 1);

const BULK_FILE_PATH = /^\/__sandbox\/bulk\/(\d{1,15})\.jsonl$/;

/** A completed bulk operation's JSONL file (what `BulkOperation.url` points at). */
function sendBulkFile(state: SandboxServerState, res: ServerResponse, id: number): void {
  state.store.advance();
  const operation = state.store.bulkOperation(id);
  if (!operation || operation.status !== 'COMPLETED' || !operation.result.ok || operation.result.objectCount === 0) {
    return sendJson(res, 404, { errors: 'Not Found' });
  }
  const body = Buffer.from(operation.result.jsonl, 'utf8');
  res.writeHead(200, { 'Content-Type': 'application/jsonl', 'Content-Length': body.length });
  res.end(body);
}

function withConfigErrors<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof SandboxConfigError) throw new HttpError(400, { errors: error.message });
    throw error;
  }
}

async function readJsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const body = await readBody(req);
  if (body.length === 0) return {};
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw new HttpError(400, { errors: { query: 'Required parameter missing or invalid' } });
}

const tooLarge = () => new HttpError(413, { errors: 'Request body is too large' }, true);

/**
 * The request body, at most MAX_BODY_BYTES. Past that (or when Content-Length says so) it stops collecting
 * and answers 413, closing the connection once the answer is out. A client that goes away or is cut by
 * the request timeout (slow loris) ends it with an error the handler cannot answer any more.
 */
function readBody(req: IncomingMessage): Promise<Buffer> {
  if (Number(req.headers['content-length']) > MAX_BODY_BYTES) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) return void chunks.push(chunk);
      chunks.length = 0;
      req.off('data', onData).resume(); // the rest is discarded
      reject(tooLarge());
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
    req.once('close', () => reject(new Error('request closed before its body was read')));
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
