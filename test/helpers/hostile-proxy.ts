// A "Shopify" that answers badly on purpose: a loopback HTTP server in front of a real sandbox that
// passes every Admin API call through, except those a test's handler chooses to corrupt — before the
// sandbox sees them (nothing applied) or after (applied, but the answer is bad or lost).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';

export interface Upstream {
  status: number;
  contentType: string;
  text: string;
}

export interface Exchange {
  /** The operation name in the document (`CancelLookup`, `CancelOrderWithResult`, …). */
  op: string;
  /** 1-based: how many requests of this operation the proxy has seen, this one included. */
  n: number;
  /** 1-based: how many GraphQL requests the proxy has seen, this one included. */
  total: number;
  variables: Record<string, any>;
  req: IncomingMessage;
  res: ServerResponse;
  /** Sends the request on to the sandbox (at most once) and returns its answer, unsent to the client. */
  forward(): Promise<Upstream>;
}

/** Returns true when it answered; false lets the request through unchanged. */
export type Handler = (exchange: Exchange) => Promise<boolean> | boolean;

export interface HostileProxy {
  url: string;
  /** Operation names in the order they arrived. */
  readonly seen: string[];
  /** Replaces the handler (e.g. `() => false` once the test wants "Shopify" to behave). */
  use(handler: Handler): void;
  close(): Promise<void>;
}

const open: HostileProxy[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((proxy) => proxy.close()));
});

export async function hostileProxy(target: { url: string }, handler: Handler): Promise<HostileProxy> {
  let current = handler;
  const seen: string[] = [];
  const counts = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let upstream: Promise<Upstream> | null = null;
      const forward = () =>
        (upstream ??= fetch(`${target.url}${req.url ?? '/'}`, {
          method: req.method ?? 'POST',
          headers: pick(req, ['content-type', 'x-shopify-access-token', 'accept', 'user-agent']),
          ...(req.method === 'GET' || req.method === 'HEAD' ? {} : { body: raw }),
        }).then(async (answer) => ({ status: answer.status, contentType: answer.headers.get('content-type') ?? '', text: await answer.text() })));
      let body: { query?: string; variables?: Record<string, any> } = {};
      try {
        body = JSON.parse(raw);
      } catch {
        // not GraphQL: passed through below
      }
      const op = /\b(?:query|mutation)\s+(\w+)/.exec(body.query ?? '')?.[1] ?? (body.query ? 'anonymous' : 'other');
      const n = (counts.get(op) ?? 0) + 1;
      counts.set(op, n);
      seen.push(op);
      const exchange: Exchange = { op, n, total: seen.length, variables: body.variables ?? {}, req, res, forward };
      Promise.resolve(body.query ? current(exchange) : false)
        .then(async (handled) => {
          if (handled) return;
          const answer = await forward();
          res.writeHead(answer.status, { 'Content-Type': answer.contentType }).end(answer.text);
        })
        .catch((error: unknown) => {
          if (!res.headersSent) res.writeHead(599, { 'Content-Type': 'text/plain' });
          res.end(`proxy failure: ${String(error)}`);
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const proxy: HostileProxy = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    use(next) {
      current = next;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  open.push(proxy);
  return proxy;
}

function pick(req: IncomingMessage, names: string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of names) {
    const value = req.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  return headers;
}

// ——— bad answers ———

const HTML = '<!DOCTYPE html><html><head><title>Oops</title></head><body><h1>Something went wrong</h1></body></html>';

export function html(res: ServerResponse, status = 200): true {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8' }).end(HTML);
  return true;
}

export function json(res: ServerResponse, body: unknown, status = 200): true {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
  return true;
}

/** A complete HTTP answer whose JSON stops half-way. */
export function truncatedJson(res: ServerResponse, text: string): true {
  res.writeHead(200, { 'Content-Type': 'application/json' }).end(text.slice(0, Math.max(1, Math.floor(text.length / 2))));
  return true;
}

/** Headers at once, then the body one byte a second, for as long as the client listens. */
export function slowLoris(res: ServerResponse, text: string): true {
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)) });
  res.flushHeaders();
  let at = 0;
  const timer = setInterval(() => {
    if (res.destroyed || at >= text.length) return clearInterval(timer);
    res.write(text.charAt(at++));
  }, 1000);
  res.on('close', () => clearInterval(timer));
  return true;
}

/** Headers and half the body, then the connection is destroyed. */
export function cutMidBody(req: IncomingMessage, res: ServerResponse, text: string): true {
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)) });
  res.write(text.slice(0, Math.floor(text.length / 2)));
  setTimeout(() => req.socket.destroy(), 20);
  return true;
}
