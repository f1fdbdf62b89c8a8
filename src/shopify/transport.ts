// The Admin API transport: one GraphQL call in, one classified outcome out. A thin shell around
// @shopify/admin-api-client (docs/shopify-behaviour.md#admin-api-client): the client builds the URL, headers and
// body and normalises the answer; we give it a bounded keep-alive connection pool, a timeout, no
// retries of its own (the run's scheduler owns pacing and retries) and no console output.
import { createAdminApiClient } from '@shopify/admin-api-client';
import { Agent, fetch as undiciFetch } from 'undici';

import type { CallOutcome } from './call-outcome.js';
import { classifyResponse, type ClientResult } from './classify.js';
import type { StoreEndpoint } from './store-endpoint.js';

export interface RequestOptions {
  signal?: AbortSignal;
  timeoutMs: number;
}

export interface Transport {
  request(document: string, variables: Record<string, unknown>, options: RequestOptions): Promise<CallOutcome>;
  /** Lets requests in flight finish, then closes the connections. */
  close(): Promise<void>;
}

export interface TransportNotice {
  kind: 'deprecation' | 'unsupported-version';
  message: string;
}

/** The real transport also collects what the client would otherwise print (each notice once). */
export interface AdminTransport extends Transport {
  readonly notices: readonly TransportNotice[];
}

export interface TransportOptions {
  endpoint: StoreEndpoint;
  accessToken: string;
  apiVersion: string;
  /** Most sockets open to the store at once; further requests queue for a free one. */
  maxConnections: number;
  userAgent: string;
  /** undici's fetch by default; injectable for tests. */
  fetch?: typeof undiciFetch;
}

type CustomFetchApi = NonNullable<Parameters<typeof createAdminApiClient>[0]['customFetchApi']>;

/** What our fetch saw for one request: the client keeps only an error's message. */
interface Probe {
  /** Set when the request's own timeout fired before anything else aborted it. */
  timedOut: boolean;
  error?: unknown;
  abortedBy?: 'caller' | 'timeout' | null;
}

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

export function createTransport(options: TransportOptions): AdminTransport {
  const { endpoint, accessToken, maxConnections } = options;
  if (!Number.isInteger(maxConnections) || maxConnections < 1) {
    throw new RangeError(`maxConnections must be a positive whole number, not ${maxConnections}`);
  }
  const dispatcher = new Agent({ connections: maxConnections, keepAliveTimeout: 4_000, keepAliveMaxTimeout: 10_000 });
  const probes = new WeakMap<AbortSignal, Probe>();
  const notices: TransportNotice[] = [];
  const notice = (kind: TransportNotice['kind'], message: string) => {
    if (!notices.some((seen) => seen.kind === kind && seen.message === message)) notices.push({ kind, message });
  };

  // The client always builds https://<storeDomain>/…; send it to the endpoint's real origin instead
  // (http for a loopback sandbox). The body is read here, under the request's signal, so a timeout
  // covers the whole answer and a connection cut mid-body is a network failure we can name.
  // The client wants a fetch; undici's request() under it skips fetch's web streams, and the answer
  // handed back reads the body already in hand (see ReadAnswer): web streams cost more CPU per
  // request than everything else a bulk run does.
  const send = async (url: string, init: Parameters<CustomFetchApi>[1]): Promise<ReadAnswer> => {
    if (options.fetch) {
      const response = await options.fetch(url, {
        method: init?.method ?? 'POST',
        headers: init?.headers as Record<string, string> | undefined,
        body: init?.body ?? null,
        signal: init?.signal ?? null,
        redirect: 'manual',
        dispatcher,
      });
      const body = NULL_BODY_STATUSES.has(response.status) ? null : Buffer.from(await response.arrayBuffer());
      return new ReadAnswer(response.status, (name) => response.headers.get(name), body);
    }
    const target = new URL(url.replace(/^https:\/\/[^/]+/, endpoint.origin));
    const answer = await dispatcher.request({
      origin: target.origin,
      path: `${target.pathname}${target.search}`,
      method: (init?.method ?? 'POST') as 'POST',
      headers: init?.headers as Record<string, string> | undefined,
      body: (init?.body as string | undefined) ?? null,
      signal: init?.signal ?? undefined,
    });
    let body: Buffer;
    try {
      body = Buffer.from(await answer.body.arrayBuffer());
    } catch (error) {
      // As fetch reports it: the answer started and was cut short.
      throw new TypeError('terminated', { cause: error });
    }
    const headers = answer.headers;
    const header = (name: string): string | null => {
      const value = headers[name.toLowerCase()];
      return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
    };
    return new ReadAnswer(answer.statusCode, header, NULL_BODY_STATUSES.has(answer.statusCode) ? null : body);
  };

  const customFetchApi: CustomFetchApi = async (url, init) => {
    const probe = init?.signal ? probes.get(init.signal) : undefined;
    try {
      // The client reads only what ReadAnswer has (see there).
      return (await send(options.fetch ? url.replace(/^https:\/\/[^/]+/, endpoint.origin) : url, init)) as unknown as Response;
    } catch (error) {
      if (probe) {
        probe.error = error;
        probe.abortedBy = whoAborted(probe, init?.signal);
      }
      throw error;
    }
  };

  const client = createAdminApiClient({
    storeDomain: new URL(endpoint.origin).host,
    apiVersion: options.apiVersion,
    accessToken,
    userAgentPrefix: options.userAgent,
    retries: 0,
    customFetchApi,
    logger(log) {
      if (log.type === 'HTTP-Response-GraphQL-Deprecation-Notice') notice('deprecation', log.content.deprecationNotice);
      if (log.type === 'Unsupported_Api_Version') {
        notice(
          'unsupported-version',
          `API version ${log.content.apiVersion} is not among the client's supported versions (${log.content.supportedApiVersions.join(', ')})`,
        );
      }
    },
  });

  let closed = false;
  return {
    notices,
    async request(document, variables, { signal, timeoutMs }) {
      if (closed) throw new Error('Transport.request() called after close()');
      if (signal?.aborted) return { kind: 'aborted' };
      // One controller for the caller's signal and the timeout: AbortSignal.timeout() and .any() cost
      // more than the rest of a request's bookkeeping.
      const controller = new AbortController();
      const combined = controller.signal;
      const probe: Probe = { timedOut: false };
      probes.set(combined, probe);
      const timer = setTimeout(() => {
        if (combined.aborted) return;
        probe.timedOut = true;
        controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
      }, timeoutMs);
      const onAbort = () => controller.abort(signal?.reason);
      signal?.addEventListener('abort', onAbort, { once: true });

      let answer: Awaited<ReturnType<typeof client.request>>;
      try {
        answer = await client.request(document, { variables, signal: combined });
      } finally {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      }
      const response = answer.errors?.response;
      const failed = response !== undefined && !response.ok;
      const result: ClientResult = {
        data: answer.data,
        extensions: answer.extensions,
        ...(answer.errors
          ? {
              errors: {
                networkStatusCode: answer.errors.networkStatusCode,
                message: answer.errors.message,
                graphQLErrors: answer.errors.graphQLErrors,
              },
            }
          : {}),
      };
      return classifyResponse({
        result,
        ...(failed ? { headers: headersOf(response), bodyText: await response.text().catch(() => null) } : {}),
        fetchError: probe.error,
        abortedBy: probe.abortedBy ?? null,
        timeoutMs,
        now: Date.now(),
        secrets: [accessToken],
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      await dispatcher.close();
    },
  };
}

/**
 * An answer whose body has been read, in the shape of a fetch Response as far as the client and we
 * use one: ok, status, statusText, headers.get(), json() and text(). Decoded like Response.text()
 * (UTF-8, a leading byte order mark dropped); json() fails on a bad body just as Response.json() does.
 */
class ReadAnswer {
  readonly ok: boolean;
  readonly statusText = '';
  readonly headers: { get(name: string): string | null };

  constructor(
    readonly status: number,
    header: (name: string) => string | null,
    private readonly body: Buffer | null,
  ) {
    this.ok = status >= 200 && status <= 299;
    this.headers = { get: header };
  }

  async text(): Promise<string> {
    const text = this.body ? this.body.toString('utf8') : '';
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }
}

function whoAborted(probe: Probe, combined: AbortSignal | undefined): 'caller' | 'timeout' | null {
  if (!combined?.aborted) return null;
  return probe.timedOut ? 'timeout' : 'caller';
}

function headersOf(response: Response): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of ['retry-after', 'location']) {
    const value = response.headers.get(name);
    if (value !== null) headers[name] = value;
  }
  return headers;
}
