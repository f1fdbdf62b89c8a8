#!/usr/bin/env node
// `npm run bench` (docs/architecture.md#benchmark): bulkfill cancel against the sandbox, compared with a naive client.
//
//   1. bulkfill   — 3000 cancellable orders, --plan standard --time-scale 10: wall time, requests,
//                   THROTTLED and other error responses, points per order, efficiency, duplicates.
//   2. naive      — the same store and orders with bench/naive-cancel.ts (the baseline).
//   3. unthrottled — bulkfill again on --plan unlimited --time-scale 1000: orders/s, CPU ms/order.
//   4. dry run    — bulkfill cancel --dry-run over a 100,000-row CSV of a generated store's ids:
//                   peak RSS of the CLI (3 runs, the highest is reported).
//
// Every phase runs against a fresh sandbox process, one phase at a time (this is a 2-core machine).
// Results go to bench/results/latest.json and a table on stdout; progress goes to stderr.
//
//   node bench/dist/bench/run.js [--orders 3000] [--big-orders 100000] [--only bulkfill,naive,unthrottled,dryrun]
//
// Exit code: 0 when every phase ran (whether or not the targets are met), 1 when a phase could not
// run (its figures are then null and the reason is in `errors`), 130/143 when interrupted.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

import type { CountersSnapshot, StoreData } from '@bulkfill/sandbox';

import { writeCancellableStore } from './fixture.js';
import type { NaiveTally } from './naive-cancel.js';
import { BIN, HERE, RESULTS_DIR, ROOT } from './paths.js';

// The compiled siblings of this script (bench/dist/bench/), run as their own processes.
const NAIVE = path.join(HERE, 'naive-cancel.js');
const HOOK = pathToFileURL(path.join(HERE, 'rusage-hook.js')).href;
const RESULTS = path.join(RESULTS_DIR, 'latest.json');
const API_VERSION = '2026-10';
/** What one orderCancel costs (the sandbox: "each mutation field costs 10"; Shopify likewise). */
const MUTATION_COST = 10;

const { values: cli } = parseArgs({
  options: {
    orders: { type: 'string', default: '3000' },
    'big-orders': { type: 'string', default: '100000' },
    only: { type: 'string' },
  },
});
const N = positiveInt(cli.orders, '--orders');
const BIG = positiveInt(cli['big-orders'], '--big-orders');
const PHASES = ['bulkfill', 'bysearch', 'naive', 'unthrottled', 'dryrun'] as const;
type Phase = (typeof PHASES)[number];
const only = cli.only ? cli.only.split(',').map((s) => s.trim()) : PHASES;
for (const p of only) if (!(PHASES as readonly string[]).includes(p)) usage(`--only: unknown phase "${p}" (phases: ${PHASES.join(', ')})`);

// Time bounds. The whole benchmark (with `npm run build` before it) must stay under 5 minutes; each
// phase is also bounded on its own, so a hung child cannot eat the others' time.
const TOTAL_BUDGET_MS = 270_000;
const LIMITS = {
  sandboxStart: 30_000,
  bigSandboxStart: 90_000,
  cancelStandard: 120_000,
  naive: 120_000,
  cancelUnthrottled: 60_000,
  dryRun: 120_000,
  http: 30_000,
  settle: 10_000,
  /** Another dry-run sample only starts with this much of the budget left. */
  dryRunReserve: 30_000,
};
const DRY_RUN_SAMPLES = 3;

// ---------------------------------------------------------------------------------------------------
// Child processes: every one is tracked and killed on the way out, whatever the way out is.

const children = new Set<ChildProcess>();

function killAll(signal: NodeJS.Signals = 'SIGKILL'): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        child.kill(signal);
      } catch {
        // already gone
      }
    }
  }
}

process.on('exit', () => killAll('SIGKILL'));
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
  ['SIGHUP', 129],
] as const) {
  process.on(signal, () => {
    log(`\n${signal}: stopping the benchmark and its child processes`);
    killAll('SIGKILL');
    process.exit(code);
  });
}
process.on('uncaughtException', (error) => {
  process.stderr.write(`bench: unexpected error: ${describe(error)}\n`);
  killAll('SIGKILL');
  process.exit(1);
});
process.on('unhandledRejection', (error) => {
  process.stderr.write(`bench: unexpected error: ${describe(error)}\n`);
  killAll('SIGKILL');
  process.exit(1);
});

function track<C extends ChildProcess>(child: C): C {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** Ends a child we started: SIGTERM, then SIGKILL if it is still there after a grace period. */
async function stop(child: ChildProcess | null | undefined, graceMs = 3_000): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/**
 * Runs a node child to its end, bounded by `timeoutMs` (then SIGKILL and an error). Wall time is
 * from spawn to the process's exit. stdout is kept (up to `maxStdout` bytes); stderr's tail is kept
 * for error messages.
 */
interface NodeRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  wallMs: number;
  exitedAtEpoch: number;
  startedAtEpoch: number;
  stdout: string;
  stderr: string;
  stdoutTruncated: boolean;
}

function runNode(
  label: string,
  args: string[],
  { env = {}, timeoutMs, maxStdout = 64 * 1024 * 1024 }: { env?: Record<string, string>; timeoutMs: number; maxStdout?: number },
): Promise<NodeRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const startedAtEpoch = Date.now();
    const child = track(
      spawn(process.execPath, args, {
        cwd: ROOT,
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    const out: Buffer[] = [];
    let outBytes = 0;
    let errTail = '';
    let exitInfo: Pick<NodeRun, 'code' | 'signal' | 'wallMs' | 'exitedAtEpoch'> | null = null;
    let timedOut = false;
    child.stdout.on('data', (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes <= maxStdout) out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      errTail = (errTail + chunk.toString('utf8')).slice(-4000);
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('exit', (code, signal) => {
      exitInfo = { code, signal, wallMs: performance.now() - started, exitedAtEpoch: Date.now() };
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`${label}: could not start: ${error.message}`));
    });
    child.once('close', () => {
      clearTimeout(timer);
      // 'exit' always comes before 'close'.
      const result: NodeRun = {
        ...exitInfo!,
        startedAtEpoch,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: errTail,
        stdoutTruncated: outBytes > maxStdout,
      };
      if (timedOut) reject(new Error(`${label}: no exit within ${Math.round(timeoutMs / 1000)} s (killed); stderr ends: ${lastLines(errTail)}`));
      else resolve(result);
    });
  });
}

/** Starts `bulkfill sandbox ... --port 0 --json` and waits for its {"url","token"} line. */
interface BenchSandbox {
  child: ChildProcess;
  url: string;
  token: string;
  startMs: number;
}

async function startSandbox(args: string[], timeoutMs = LIMITS.sandboxStart): Promise<BenchSandbox> {
  const child = track(
    spawn(process.execPath, [BIN, 'sandbox', ...args, '--port', '0', '--json'], {
      cwd: ROOT,
      env: { ...process.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  let errTail = '';
  child.stderr.on('data', (chunk: Buffer) => {
    errTail = (errTail + chunk.toString('utf8')).slice(-4000);
  });
  const started = performance.now();
  try {
    const line = await new Promise<string>((resolve, reject) => {
      let buffered = '';
      const timer = setTimeout(() => reject(new Error(`sandbox not ready within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
      child.stdout.on('data', (chunk: Buffer) => {
        buffered += chunk.toString('utf8');
        const nl = buffered.indexOf('\n');
        if (nl >= 0) {
          clearTimeout(timer);
          resolve(buffered.slice(0, nl));
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`sandbox exited (${signal ?? `code ${code}`}) before it was ready`));
      });
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
    const { url, token } = JSON.parse(line) as { url?: unknown; token?: unknown };
    if (typeof url !== 'string' || typeof token !== 'string') throw new Error(`unexpected sandbox output: ${line}`);
    child.stdout.resume();
    return { child, url, token, startMs: performance.now() - started };
  } catch (error) {
    await stop(child);
    throw new Error(`sandbox ${args.join(' ')}: ${messageOf(error)}; stderr ends: ${lastLines(errTail)}`);
  }
}

// ---------------------------------------------------------------------------------------------------
// Talking to the sandbox from the benchmark itself.

async function http<T = unknown>(url: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(LIMITS.http) });
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

const counters = (sb: BenchSandbox) => http<CountersSnapshot>(`${sb.url}/__sandbox/counters`);

/**
 * One `{ shop { name } }` query with the run's token: the bucket as the sandbox sees it. `before` is
 * the bucket just before this probe took its own cost (if it was not THROTTLED).
 */
interface BucketProbe {
  at: number;
  throttled: boolean;
  available: number;
  before: number;
  maximum: number;
  restoreRate: number;
}

async function probeBucket(sb: BenchSandbox): Promise<BucketProbe> {
  const sentAt = Date.now();
  type CostExtension = {
    actualQueryCost: number | null;
    throttleStatus?: { currentlyAvailable: number; maximumAvailable: number; restoreRate: number };
  };
  const body = await http<{ extensions?: { cost?: CostExtension } } | null>(`${sb.url}/admin/api/${API_VERSION}/graphql.json`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Shopify-Access-Token': sb.token },
    body: JSON.stringify({ query: '{ shop { name } }' }),
  });
  const at = (sentAt + Date.now()) / 2;
  const cost = body?.extensions?.cost;
  const status = cost?.throttleStatus;
  if (!status) throw new Error(`bucket probe: no extensions.cost.throttleStatus in ${JSON.stringify(body).slice(0, 300)}`);
  const throttled = cost.actualQueryCost === null;
  return {
    at,
    throttled,
    available: status.currentlyAvailable,
    before: status.currentlyAvailable + (throttled ? 0 : (cost.actualQueryCost ?? 0)),
    maximum: status.maximumAvailable,
    restoreRate: status.restoreRate,
  };
}

/** Waits (bounded) until `count(counters)` stops changing or reaches `want`; returns the last counters. */
async function settle(sb: BenchSandbox, count: (c: CountersSnapshot) => number, want: number, timeoutMs = LIMITS.settle): Promise<CountersSnapshot> {
  const deadline = performance.now() + timeoutMs;
  let last = await counters(sb);
  let stableSince = performance.now();
  while (count(last) < want && performance.now() < deadline) {
    await sleep(200);
    const next = await counters(sb);
    if (count(next) !== count(last)) stableSince = performance.now();
    last = next;
    if (performance.now() - stableSince > 2_000) break;
  }
  return last;
}

// ---------------------------------------------------------------------------------------------------
// Figures from the sandbox's counters (differences between two snapshots).

const values = (map: Record<string, number> | undefined): number[] => Object.values(map ?? {});
const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

function requestFigures(before: CountersSnapshot, after: CountersSnapshot, probesBetween: number, throttledProbes: number) {
  const d = (get: (c: CountersSnapshot) => number) => get(after) - get(before);
  const faults: Record<string, number> = {};
  for (const [kind, n] of Object.entries(after.requests.faults ?? {})) {
    const diff = n - (before.requests.faults?.[kind] ?? 0);
    if (diff) faults[kind] = diff;
  }
  return {
    requests: d((c) => c.requests.graphql) - probesBetween,
    throttled: d((c) => c.requests.throttled) - throttledProbes,
    maxCostExceeded: d((c) => c.requests.maxCostExceeded),
    nonGraphqlResponses: d((c) => c.requests.total - c.requests.graphql), // 401/404: never reached GraphQL
    faults,
  };
}

function actedOnFigures(after: CountersSnapshot) {
  const applied = after.applied?.orderCancel ?? {};
  const calls = after.calls?.orderCancel ?? {};
  return {
    cancelledInStore: Object.keys(applied).length,
    duplicates: values(applied).filter((n) => n > 1).length,
    doubleRefunds: values(after.refunds).filter((n) => n > 1).length,
    ordersCalledMoreThanOnce: values(calls).filter((n) => n > 1).length,
    orderCancelCalls: sum(values(calls)),
  };
}

/**
 * Points per order, approximated from the bucket (the sandbox does not expose the sum of actual
 * query costs): points spent = bucket at the start + refill during the run − bucket at the end,
 * refill = restoreRate (already × time scale) × seconds from the client's start to the end probe.
 * The refill is only counted while the bucket is below its maximum on Shopify's side; a bucket that
 * sat full for a while (e.g. while the client waited for jobs) makes this an over-estimate, flagged
 * by `bucketFullAtEnd`.
 */
function pointsApprox({
  startProbe,
  endProbe,
  clientStartEpoch,
  orders,
}: {
  startProbe: BucketProbe;
  endProbe: BucketProbe;
  clientStartEpoch: number;
  orders: number;
}) {
  const rate = startProbe.restoreRate;
  const startBucket = Math.min(startProbe.maximum, startProbe.available + (rate * Math.max(0, clientStartEpoch - startProbe.at)) / 1000);
  const refill = (rate * Math.max(0, endProbe.at - clientStartEpoch)) / 1000;
  const spent = startBucket + refill - endProbe.before;
  return {
    startingBucket: round(startBucket, 1),
    endingBucket: round(endProbe.before, 1),
    refill: round(refill, 1),
    pointsSpent: round(spent, 0),
    pointsPerOrder: round(spent / orders, 2),
    bucketFullAtEnd: endProbe.before >= endProbe.maximum - 1,
  };
}

/** What bench/rusage-hook.ts writes: process.resourceUsage(), maxRSS being the peak in KiB. */
type Rusage = NodeJS.ResourceUsage;

const rusage = (file: string): Rusage | null => {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Rusage;
  } catch {
    return null;
  }
};

// ---------------------------------------------------------------------------------------------------
// Phases.

async function bulkfillCancel({
  sb,
  csv,
  phase,
  timeoutMs,
  selection = ['--csv', csv ?? ''],
}: {
  sb: BenchSandbox;
  csv?: string;
  phase: string;
  timeoutMs: number;
  selection?: string[];
}) {
  const startProbe = await probeBucket(sb);
  const before = await counters(sb);
  const rusageFile = path.join(WORK, `${phase}.rusage.json`);
  const run = await runNode(
    `bulkfill cancel (${phase})`,
    ['--import', HOOK, BIN, 'cancel', ...selection, '--reason', 'other', '--refund', 'now', '--no-restock', '--yes', '--json'],
    {
      env: {
        SHOPIFY_STORE: sb.url,
        SHOPIFY_ACCESS_TOKEN: sb.token,
        BULKFILL_STATE_DIR: path.join(WORK, `state-${phase}`),
        BENCH_RUSAGE_FILE: rusageFile,
      },
      timeoutMs,
    },
  );
  const endProbe = await probeBucket(sb);
  let report: { summary?: Record<string, number>; run?: { startedAt?: string } };
  try {
    report = JSON.parse(run.stdout) as typeof report;
  } catch (error) {
    throw new Error(
      `bulkfill cancel (${phase}) exited ${run.signal ?? run.code}; its stdout is not JSON (${messageOf(error)}); stderr ends: ${lastLines(run.stderr)}`,
    );
  }
  if (run.code !== 0) log(`  note: bulkfill cancel exited with code ${run.code}`);
  const after = await settle(sb, (c) => Object.keys(c.applied?.orderCancel ?? {}).length, N);
  const usage = rusage(rusageFile);
  const summary: Record<string, number> = report.summary ?? {};
  const req = requestFigures(before, after, 1, endProbe.throttled ? 1 : 0);
  const clientStartEpoch = Date.parse(report.run?.startedAt ?? '') || run.startedAtEpoch;
  return {
    exitCode: run.code,
    wallSeconds: round(run.wallMs / 1000, 3),
    summary,
    ...req,
    otherErrorResponses: sum(values(req.faults)) + req.maxCostExceeded + req.nonGraphqlResponses,
    notDone: (summary.failed ?? 0) + (summary.unknown ?? 0),
    ...actedOnFigures(after),
    points: pointsApprox({ startProbe, endProbe, clientStartEpoch, orders: N }),
    bucket: { maximumAvailable: startProbe.maximum, restoreRate: startProbe.restoreRate },
    cpuMs: usage ? round((usage.userCPUTime + usage.systemCPUTime) / 1000, 0) : null,
    peakRssMb: usage ? round(usage.maxRSS / 1024, 1) : null,
  };
}

/** What every phase gets: the store and its CSV, and the time left. */
interface BenchContext {
  fixture: string;
  csv: string;
  /** A phase's own bound, never past the whole benchmark's budget. */
  limit(ms: number): number;
  remaining(): number;
}

async function phaseBulkfill(ctx: BenchContext) {
  const sb = await startSandbox(['--plan', 'standard', '--time-scale', '10', '--fixture', ctx.fixture]);
  try {
    return await bulkfillCancel({ sb, csv: ctx.csv, phase: 'standard', timeoutMs: ctx.limit(LIMITS.cancelStandard) });
  } finally {
    await stop(sb.child);
  }
}

// The same orders chosen by a search: bulkfill reads them through a bulk query export, which Shopify
// does not charge to the bucket, so nearly all the budget goes to the cancels.
async function phaseBySearch(ctx: BenchContext) {
  const sb = await startSandbox(['--plan', 'standard', '--time-scale', '10', '--fixture', ctx.fixture]);
  try {
    return await bulkfillCancel({ sb, phase: 'bysearch', timeoutMs: ctx.limit(LIMITS.cancelStandard), selection: ['--query', 'status:open'] });
  } finally {
    await stop(sb.child);
  }
}

async function phaseNaive(ctx: BenchContext) {
  const sb = await startSandbox(['--plan', 'standard', '--time-scale', '10', '--fixture', ctx.fixture]);
  try {
    const startProbe = await probeBucket(sb);
    const before = await counters(sb);
    const rusageFile = path.join(WORK, 'naive.rusage.json');
    const run = await runNode('naive-cancel', ['--import', HOOK, NAIVE, '--store', sb.url, '--token', sb.token, '--csv', ctx.csv], {
      env: { BENCH_RUSAGE_FILE: rusageFile },
      timeoutMs: ctx.limit(LIMITS.naive),
    });
    const endProbe = await probeBucket(sb);
    let tally: NaiveTally;
    try {
      tally = JSON.parse(run.stdout) as NaiveTally;
    } catch (error) {
      throw new Error(
        `naive-cancel exited ${run.signal ?? run.code}; its stdout is not JSON (${messageOf(error)}); stderr ends: ${lastLines(run.stderr)}`,
      );
    }
    // It does not follow the jobs: give the sandbox a moment to finish them before counting.
    const after = await settle(sb, (c) => Object.keys(c.applied?.orderCancel ?? {}).length, N);
    const usage = rusage(rusageFile);
    const req = requestFigures(before, after, 1, endProbe.throttled ? 1 : 0);
    const ownErrors = tally.graphqlErrors + tally.userErrors + tally.networkErrors + sum(values(tally.httpErrors));
    return {
      exitCode: run.code,
      wallSeconds: round(run.wallMs / 1000, 3),
      summary: { selected: tally.orders, done: tally.cancelled, already: tally.alreadyCancelled, failed: tally.failed },
      ...req,
      otherErrorResponses: sum(values(req.faults)) + req.maxCostExceeded + req.nonGraphqlResponses + ownErrors,
      clientSide: tally,
      ...actedOnFigures(after),
      pointsExact: { pointsSpent: tally.pointsSpent, pointsPerOrder: round(tally.pointsSpent / N, 2) },
      points: pointsApprox({ startProbe, endProbe, clientStartEpoch: run.exitedAtEpoch - (tally.wallMs ?? NaN), orders: N }),
      cpuMs: usage ? round((usage.userCPUTime + usage.systemCPUTime) / 1000, 0) : null,
      peakRssMb: usage ? round(usage.maxRSS / 1024, 1) : null,
      note: 'does not follow the cancel jobs: "done" = orderCancel accepted; cancelledInStore is read from the sandbox after the jobs settle',
    };
  } finally {
    await stop(sb.child);
  }
}

async function phaseUnthrottled(ctx: BenchContext) {
  const sb = await startSandbox(['--plan', 'unlimited', '--time-scale', '1000', '--fixture', ctx.fixture]);
  try {
    // Without points and bucket: meaningless with a 10M-point bucket.
    const {
      points: _points,
      bucket: _bucket,
      ...r
    } = await bulkfillCancel({ sb, csv: ctx.csv, phase: 'unthrottled', timeoutMs: ctx.limit(LIMITS.cancelUnthrottled) });
    return {
      ...r,
      ordersPerSec: round((r.summary.done ?? 0) / (r.wallSeconds ?? 0), 1),
      cpuMsPerOrder: r.cpuMs === null ? null : round(r.cpuMs / N, 3),
    };
  } finally {
    await stop(sb.child);
  }
}

async function phaseDryRun(ctx: BenchContext) {
  const sb = await startSandbox(['--plan', 'unlimited', '--orders', String(BIG), '--seed', '1'], ctx.limit(LIMITS.bigSandboxStart));
  try {
    // The generated store's ids, from the sandbox itself.
    const ids = ((await http<Partial<StoreData>>(`${sb.url}/__sandbox/state`)).orders ?? []).map((o) => o.id);
    if (ids.length < BIG) throw new Error(`the sandbox generated ${ids.length} orders, expected ${BIG}`);
    const csv = path.join(WORK, `orders-${BIG}.csv`);
    await writeLines(csv, ['id', ...ids.map((id) => `gid://shopify/Order/${id}`)]);
    // The CLI's peak RSS varies from run to run (how far it gets ahead of the sandbox's answers, and
    // when V8 collects), so it is sampled a few times; the figure is the highest peak seen.
    const samples: {
      peakRssMb: number | null;
      wallSeconds: number | null;
      cpuMs: number | null;
      requests: number;
      orderCancelCalls: number;
      summaryLine: string;
    }[] = [];
    for (let i = 0; i < DRY_RUN_SAMPLES; i++) {
      if (i > 0 && ctx.remaining() < LIMITS.dryRunReserve) {
        log(`  (only ${i} dry-run sample(s): the time budget is short)`);
        break;
      }
      const before = await counters(sb);
      const rusageFile = path.join(WORK, `dryrun-${i}.rusage.json`);
      const run = await runNode(
        'bulkfill cancel --dry-run',
        ['--import', HOOK, BIN, 'cancel', '--csv', csv, '--dry-run', '--reason', 'other', '--refund', 'now', '--no-restock'],
        {
          env: {
            SHOPIFY_STORE: sb.url,
            SHOPIFY_ACCESS_TOKEN: sb.token,
            BULKFILL_STATE_DIR: path.join(WORK, `state-dryrun-${i}`),
            BENCH_RUSAGE_FILE: rusageFile,
          },
          timeoutMs: ctx.limit(LIMITS.dryRun),
        },
      );
      if (run.code !== 0)
        throw new Error(`bulkfill cancel --dry-run exited ${run.signal ?? `with code ${run.code}`}; stderr ends: ${lastLines(run.stderr)}`);
      const after = await counters(sb);
      const usage = rusage(rusageFile);
      if (!usage) throw new Error('the dry run left no resource usage (the rusage hook did not write its file)');
      samples.push({
        peakRssMb: round(usage.maxRSS / 1024, 1),
        wallSeconds: round(run.wallMs / 1000, 3),
        cpuMs: round((usage.userCPUTime + usage.systemCPUTime) / 1000, 0),
        requests: after.requests.graphql - before.requests.graphql,
        // Only orderCancel: the generated store's simulated services answer requests on their own,
        // and those show up in the counters as fulfillmentOrderAccept…/Reject… calls.
        orderCancelCalls: sum(values(after.calls?.orderCancel)) - sum(values(before.calls?.orderCancel)),
        summaryLine: lastLines(run.stderr, 1),
      });
      log(`  sample ${i + 1}: peak RSS ${samples.at(-1)?.peakRssMb} MB, ${samples.at(-1)?.wallSeconds} s`);
    }
    const rss = samples.map((x) => x.peakRssMb ?? 0);
    return {
      rows: ids.length,
      peakRssMb: Math.max(...rss),
      medianPeakRssMb: median(rss),
      minPeakRssMb: Math.min(...rss),
      wallSeconds: median(samples.map((x) => x.wallSeconds ?? 0)),
      cpuMs: median(samples.map((x) => x.cpuMs ?? 0)),
      orderCancelCalls: sum(samples.map((x) => x.orderCancelCalls)),
      samples,
    };
  } finally {
    await stop(sb.child);
  }
}

// ---------------------------------------------------------------------------------------------------
// Main.

const WORK = mkdtempSync(path.join(os.tmpdir(), 'bulkfill-bench-'));
// BENCH_KEEP=1 keeps the stores, CSVs and run journals for a look afterwards.
process.on('exit', () => process.env.BENCH_KEEP || rmSync(WORK, { recursive: true, force: true }));

const benchStart = performance.now();
const deadline = benchStart + TOTAL_BUDGET_MS;
const ctx: BenchContext = {
  fixture: path.join(WORK, `store-${N}.json`),
  csv: path.join(WORK, `orders-${N}.csv`),
  /** A phase's own bound, never past the whole benchmark's budget. */
  limit: (ms) => Math.max(1_000, Math.min(ms, deadline - performance.now())),
  remaining: () => deadline - performance.now(),
};

log(`bench: ${N} cancellable orders; node ${process.version}, ${os.cpus().length} CPUs; work dir ${WORK}`);
const ids = writeCancellableStore(ctx.fixture, N);
await writeLines(ctx.csv, ['id', ...ids]);

const results: { [P in Phase]?: Awaited<ReturnType<(typeof phaseRunners)[P]>> } = {};
const errors: { phase: string; kind: 'phase' | 'figure'; message: string }[] = [];
const phaseRunners = { bulkfill: phaseBulkfill, bysearch: phaseBySearch, naive: phaseNaive, unthrottled: phaseUnthrottled, dryrun: phaseDryRun };
const phaseTitles = {
  bulkfill: `bulkfill cancel, ${N} orders by id (CSV), --plan standard --time-scale 10`,
  bysearch: `bulkfill cancel, ${N} orders by search (bulk export), --plan standard --time-scale 10`,
  naive: `naive baseline, ${N} orders, --plan standard --time-scale 10`,
  unthrottled: `bulkfill cancel, ${N} orders, --plan unlimited --time-scale 1000`,
  dryrun: `bulkfill cancel --dry-run, ${BIG.toLocaleString('en-US')}-row CSV`,
};
for (const phase of PHASES) {
  if (!only.includes(phase)) continue;
  if (performance.now() > deadline - 5_000) {
    errors.push({ phase, kind: 'phase', message: `not run: the benchmark's ${TOTAL_BUDGET_MS / 1000} s budget was used up` });
    continue;
  }
  log(`▶ ${phaseTitles[phase]}`);
  const t = performance.now();
  try {
    (results as Record<Phase, unknown>)[phase] = await phaseRunners[phase](ctx);
    log(`  finished in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  } catch (error) {
    errors.push({ phase, kind: 'phase', message: messageOf(error) });
    log(`  FAILED: ${messageOf(error)}`);
  }
}

// Headline figures.
const b = results.bulkfill;
const nv = results.naive;
const u = results.unthrottled;
const d = results.dryrun;
const q = results.bysearch;
const ideal = b ? (N * MUTATION_COST - (b.points.startingBucket ?? 0)) / b.bucket.restoreRate : null;
const headline = {
  efficiency: b && b.summary.done === N ? round((ideal ?? 0) / (b.wallSeconds ?? 0), 3) : null,
  throttledShare: b ? round(b.throttled / b.requests, 4) : null,
  speedupVsNaive: b && nv && b.summary.done === N ? round((nv.wallSeconds ?? 0) / (b.wallSeconds ?? 0), 3) : null,
  unthrottledOrdersPerSec: u && u.summary.done === N ? u.ordersPerSec : null,
  cpuMsPerOrder: u ? u.cpuMsPerOrder : null,
  dryRun100kPeakRssMb: d ? d.peakRssMb : null,
  duplicates: b || u || q ? (b?.duplicates ?? 0) + (u?.duplicates ?? 0) + (q?.duplicates ?? 0) : null,
  efficiencyBySearch: q && q.summary.done === N && ideal ? round(ideal / (q.wallSeconds ?? 0), 3) : null,
  speedupVsNaiveBySearch: q && nv && q.summary.done === N ? round((nv.wallSeconds ?? 0) / (q.wallSeconds ?? 0), 3) : null,
};
if (b && b.summary.done !== N)
  errors.push({ phase: 'bulkfill', kind: 'figure', message: `only ${b.summary.done} of ${N} orders done: efficiency and speedup not computed` });
if (u && u.summary.done !== N)
  errors.push({ phase: 'unthrottled', kind: 'figure', message: `only ${u.summary.done} of ${N} orders done: orders/s not computed` });
if (d && d.orderCancelCalls !== 0)
  errors.push({ phase: 'dryrun', kind: 'figure', message: `the dry run called orderCancel ${d.orderCancelCalls} time(s)` });
if (d && d.rows !== 100_000)
  errors.push({ phase: 'dryrun', kind: 'figure', message: `dry run over ${d.rows} rows, not 100,000: dryRun100kPeakRssMb is not comparable` });

const TARGETS: { [K in keyof typeof headline]?: { op: '>=' | '<=' | '=='; value: number } } = {
  efficiency: { op: '>=', value: 0.9 },
  throttledShare: { op: '<=', value: 0.01 },
  speedupVsNaive: { op: '>=', value: 1.3 },
  unthrottledOrdersPerSec: { op: '>=', value: 1000 },
  dryRun100kPeakRssMb: { op: '<=', value: 200 },
  duplicates: { op: '==', value: 0 },
};
const targets: Record<string, { target: string; value: number | null; pass: boolean | null }> = {};
for (const key of Object.keys(TARGETS) as (keyof typeof TARGETS)[]) {
  const t = TARGETS[key]!;
  const v = headline[key];
  const pass = v === null ? null : t.op === '>=' ? v >= t.value : t.op === '<=' ? v <= t.value : v === t.value;
  targets[key] = { target: `${t.op} ${t.value}`, value: v, pass };
}

const totalSeconds = round((performance.now() - benchStart) / 1000, 1);
const output = {
  date: new Date().toISOString(),
  machine: {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? null,
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    totalMemMb: Math.round(os.totalmem() / 2 ** 20),
  },
  config: {
    orders: N,
    dryRunRows: BIG,
    apiVersion: API_VERSION,
    standard: '--plan standard --time-scale 10',
    unthrottled: '--plan unlimited --time-scale 1000',
    mutationCost: MUTATION_COST,
  },
  ...headline,
  idealSeconds: ideal === null ? null : round(ideal, 3),
  targets,
  allTargetsMet: Object.values(targets).every((t) => t.pass === true),
  bulkfill: b ?? null,
  bySearch: q ?? null,
  naive: nv
    ? { ...nv, efficiency: ideal ? round(ideal / (nv.wallSeconds ?? 0), 3) : null, throttledShare: round(nv.throttled / nv.requests, 4) }
    : null,
  unthrottled: u ?? null,
  dryRun: d ?? null,
  errors,
  notes: [
    `efficiency = ideal ÷ wall time; ideal = (${N} × ${MUTATION_COST} points − starting bucket) ÷ restoreRate (the sandbox reports restoreRate already × time scale), i.e. the mutations alone at the plan's full budget`,
    'wall times are from spawning the process to its exit (node start-up, lookups, confirmation of the cancel jobs included)',
    'points per order (bulkfill) are approximate: the sandbox does not expose actual query costs, so points spent = starting bucket + restoreRate × (end probe − run start) − bucket at the end probe ({ shop { name } } right after exit); time the bucket spent full is counted as refill, so this can only over-estimate (bucketFullAtEnd flags the obvious case)',
    'naive.pointsExact sums actualQueryCost from its own responses; naive.points is the same bucket approximation, for comparison',
    "requests = the sandbox's GraphQL request count during the run, minus the benchmark's own probe; otherErrorResponses = injected faults + MAX_COST_EXCEEDED + non-GraphQL (401/404) answers (+ for naive, the errors it saw itself); the sandbox does not count other GraphQL-level errors",
    "peak RSS = the CLI process's own high-water mark (/proc/self/status VmHWM; ru_maxrss would include the benchmark's own peak, inherited through fork); dryRun100kPeakRssMb = the highest over the dry-run samples; dryRun.samples has each",
    'duplicates = orders whose state orderCancel changed more than once (sandbox counters.applied.orderCancel > 1)',
    'the naive baseline does not follow its cancel jobs; its THROTTLED sleep is 1 s of wall time (10 s of sandbox time at --time-scale 10)',
  ],
  totalSeconds,
};
mkdirSync(path.dirname(RESULTS), { recursive: true });
writeFileSync(RESULTS, `${JSON.stringify(output, null, 2)}\n`);

printTable(output);
log(`\nwrote ${path.relative(ROOT, RESULTS)} — benchmark took ${totalSeconds} s`);
if (errors.length) {
  log(`\n${errors.length} problem(s):`);
  for (const e of errors) log(`  [${e.phase}] ${e.message}`);
}
process.exitCode = errors.some((e) => e.kind === 'phase') ? 1 : 0;

// ---------------------------------------------------------------------------------------------------
// Output.

function printTable(o: typeof output): void {
  const fmt = (v: unknown, digits = 2): string =>
    v === null || v === undefined ? '—' : typeof v === 'number' ? (Number.isInteger(v) ? v.toLocaleString('en-US') : v.toFixed(digits)) : String(v);
  const rows: [string, string, string, string][] = [];
  const row = (label: string, bv: unknown, nvv: unknown, qv?: unknown) => rows.push([label, fmt(bv), fmt(qv), fmt(nvv)]);
  const B = o.bulkfill;
  const V = o.naive;
  const Q = o.bySearch;
  row('wall time (s)', B?.wallSeconds, V?.wallSeconds, Q?.wallSeconds);
  row('efficiency (ideal ÷ wall)', o.efficiency, V?.efficiency, o.efficiencyBySearch);
  row('orders done', B?.summary.done, V?.summary.done, Q?.summary.done);
  row('cancelled in store', B?.cancelledInStore, V?.cancelledInStore, Q?.cancelledInStore);
  row('requests sent', B?.requests, V?.requests, Q?.requests);
  row('THROTTLED responses', B?.throttled, V?.throttled, Q?.throttled);
  row('THROTTLED share', B ? o.throttledShare : null, V?.throttledShare, Q ? Q.throttled / Q.requests : null);
  row('other error responses', B?.otherErrorResponses, V?.otherErrorResponses, Q?.otherErrorResponses);
  row('points / order (≈ bucket)', B?.points.pointsPerOrder, V?.points.pointsPerOrder, Q?.points.pointsPerOrder);
  row('points / order (exact)', null, V?.pointsExact.pointsPerOrder);
  row('orders acted on twice', B?.duplicates, V?.duplicates, Q?.duplicates);
  row('CPU ms (client process)', B?.cpuMs, V?.cpuMs, Q?.cpuMs);
  row('peak RSS MB (client)', B?.peakRssMb, V?.peakRssMb, Q?.peakRssMb);
  const w: [number, number, number, number] = [Math.max(...rows.map((r) => r[0].length), 10), 12, 14, 12];
  const line = (cells: [string, string, string, string?]) =>
    `  ${cells[0].padEnd(w[0])}  ${cells[1].padStart(w[1])}  ${cells[2].padStart(w[2])}  ${(cells[3] ?? '').padStart(w[3])}`;
  out(`\nbulkfill benchmark — ${o.date} — node ${o.machine.node}, ${o.machine.cpus} CPUs`);
  out(`\n${o.config.orders} orders, --plan standard --time-scale 10 (ideal ${fmt(o.idealSeconds)} s)`);
  out(line(['', 'bulkfill CSV', 'bulkfill search', 'naive']));
  out(line(['-'.repeat(w[0]), '-'.repeat(w[1]), '-'.repeat(w[2]), '-'.repeat(w[3])]));
  for (const r of rows) out(line(r));
  out(line(['speedup vs naive', fmt(o.speedupVsNaive), fmt(o.speedupVsNaiveBySearch), '']));
  const U = o.unthrottled;
  out(`\nthrottling off (--plan unlimited --time-scale 1000), ${o.config.orders} orders`);
  out(
    `  wall ${fmt(U?.wallSeconds)} s, ${fmt(U?.ordersPerSec, 1)} orders/s, CPU ${fmt(U?.cpuMsPerOrder, 3)} ms/order, peak RSS ${fmt(U?.peakRssMb, 1)} MB, requests ${fmt(U?.requests)}, acted on twice ${fmt(U?.duplicates)}`,
  );
  const D = o.dryRun;
  out(
    `\ndry run over ${D ? D.rows.toLocaleString('en-US') : '—'} rows (${D ? D.samples.length : 0} runs): peak RSS ${fmt(D?.peakRssMb, 1)} MB (highest; runs: ${D ? D.samples.map((x) => x.peakRssMb).join(', ') : '—'}), wall ${fmt(D?.wallSeconds)} s, CPU ${fmt(D?.cpuMs)} ms, orderCancel calls ${fmt(D?.orderCancelCalls)}`,
  );
  out('\ntargets');
  for (const [key, t] of Object.entries(o.targets)) {
    const verdict = t.pass === null ? 'NOT MEASURED' : t.pass ? 'pass' : 'FAIL';
    out(`  ${key.padEnd(24)} ${fmt(t.value, 3).padStart(10)}  ${t.target.padEnd(9)}  ${verdict}`);
  }
}

// ---------------------------------------------------------------------------------------------------
// Helpers.

function out(text: string): void {
  process.stdout.write(`${text}\n`);
}

function log(text: string): void {
  process.stderr.write(`${text}\n`);
}

function round(x: number | null | undefined, digits: number): number | null {
  if (x === null || x === undefined || !Number.isFinite(x)) return null;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function median(xs: number[]): number | null {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] ?? null) : round(((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2, 3);
}

function lastLines(text: string | null | undefined, n = 5): string {
  const lines = String(text ?? '')
    .trimEnd()
    .split('\n');
  return lines.slice(-n).join(' | ') || '(nothing)';
}

function positiveInt(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) usage(`${name} must be a positive whole number, got "${value}"`);
  return n;
}

function usage(message: string): never {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(2);
}

async function writeLines(file: string, lines: string[]): Promise<void> {
  const stream = createWriteStream(file);
  for (const line of lines) {
    if (!stream.write(`${line}\n`)) await new Promise<void>((resolve) => stream.once('drain', resolve));
  }
  await new Promise<void>((resolve, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
