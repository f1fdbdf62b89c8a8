// The soak driver shared by test/e2e/soak.test.ts (small sizes) and bench/soak.ts (full sizes, docs/architecture.md#soak-tests).
// It runs the built bin/ against a sandbox started in this process, and reads journals with src/journal.
//
//   faultSoak:  one action over a generated store against a sandbox that injects faults (503, 429,
//               resets before and after applying, responses slower than the CLI's timeout) under the
//               standard plan's rate limit; then the invariant below.
//   killSoak:   one action's run killed with SIGKILL at random moments (a seeded PRNG), the journal
//               read back after every kill, `--resume last` each time; then a final resume and the
//               invariant.
//
// The invariant, read from the sandbox (/__sandbox/state, /__sandbox/counters) and the run's journal:
//   - what the plan acts on: the orders and targets of a --dry-run made first on the same store;
//     the real run must plan the same (anything else is `planDrift`);
//   - every planned target is in its action's target state, and its mutation was applied exactly once
//     (sandbox counters `applied[mutation][target] === 1`); nothing else was applied (`duplicates`
//     counts every application beyond one and every application to a target outside the plan);
//   - every selected order has a final outcome (done / already / skipped / failed) in the journal and
//     the --json report; every planned order ended `done` (else it is `lost`); every order not acted on
//     has a reason (skipped / failed) or says it is already done.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import {
  PLANS,
  generateStore,
  seededRandom,
  startSandbox,
  type CountersSnapshot,
  type FulfillmentOrderRecord,
  type OrderRecord,
  type PlanName,
  type RunningSandbox,
  type StoreData,
} from '@bulkfill/sandbox';

import { summarizeJournal, type JournalState } from '../src/journal/resume-state.js';
import { BIN, ROOT } from './paths.js';

export { BIN };

/** The soak's fault mix (docs/architecture.md#soak-tests): 5% 503, 2% 429, 2% reset before apply, 2% reset after apply, 1% slow past the timeout. */
export const SOAK_FAULTS = { '503': 0.05, '429': 0.02, 'reset-before': 0.02, 'reset-after': 0.02, slow: 0.01 };

const SERVICES = ['acme-3pl', 'swift-ship', 'slow-fulfil'];
const REQUESTED = new Set(['SUBMITTED', 'ACCEPTED', 'REJECTED', 'CANCELLATION_REQUESTED', 'CANCELLATION_ACCEPTED', 'CANCELLATION_REJECTED']);

/** A planned step as the journal has it: the fields the four actions' steps carry. */
export interface Step {
  order: string;
  fo: string;
  kind?: string;
}

/** A journal line, read as JSON (the soak checks them, so it assumes nothing more). */
interface JournalRow {
  t: string;
  order?: string;
  steps?: Step[];
  at?: string;
  startedAt?: string;
}

/** The store as the sandbox has it, indexed by GID. */
interface StoreView {
  orders: Map<string, OrderRecord>;
  fos: Map<string, FulfillmentOrderRecord>;
}

interface ActionSpec {
  flags: string[];
  mutations: string[];
  mutation(step: Step): string;
  target(step: Step): string;
  reached(step: Step, store: StoreView): boolean;
}

/** The --json report of a run, as far as the soak reads it. */
interface RunReport {
  orders: { id: string; outcome: string; reason?: string | null; message?: string | null }[];
  summary: Record<string, number>;
}

/** A run's plan from its journal: order GID -> steps (as read, unchecked). */
type Plan = Map<string, Step[]>;

interface BinResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

interface SpawnedBin {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const foGid = (id: number): string => `gid://shopify/FulfillmentOrder/${id}`;
const orderGid = (id: number): string => `gid://shopify/Order/${id}`;

/**
 * Per action: its flags, and for one planned step the mutation that applies it, the target it
 * applies to, and whether the store shows it done.
 */
export const ACTIONS: Record<string, ActionSpec> = {
  cancel: {
    flags: ['--reason', 'other', '--refund', 'now', '--no-restock', '--no-notify'],
    mutations: ['orderCancel'],
    mutation: () => 'orderCancel',
    target: (step) => step.order,
    reached: (step, store) => store.orders.get(step.order)?.cancelledAt != null,
  },
  'mark-open': {
    flags: [],
    mutations: ['fulfillmentOrderOpen'],
    mutation: () => 'fulfillmentOrderOpen',
    target: (step) => step.fo,
    reached: (step, store) => store.fos.get(step.fo)?.status === 'OPEN',
  },
  'request-fulfillment': {
    flags: ['--service', SERVICES.join(','), '--no-notify'],
    mutations: ['fulfillmentOrderSubmitFulfillmentRequest'],
    mutation: () => 'fulfillmentOrderSubmitFulfillmentRequest',
    target: (step) => step.fo,
    // SUBMITTED or later; a request on a cancelled fulfillment order closes it and creates a submitted one.
    reached: (step, store) => {
      const fo = store.fos.get(step.fo);
      return fo !== undefined && (REQUESTED.has(fo.requestStatus) || fo.status === 'CLOSED');
    },
  },
  'cancel-request': {
    flags: ['--service', SERVICES.join(',')],
    mutations: ['fulfillmentOrderSubmitCancellationRequest', 'fulfillmentOrderCancel'],
    mutation: (step) => (step.kind === 'withdraw' ? 'fulfillmentOrderCancel' : 'fulfillmentOrderSubmitCancellationRequest'),
    target: (step) => step.fo,
    // Withdrawn (the request is closed, a fresh fulfillment order replaces it) or cancellation requested.
    reached: (step, store) => {
      const fo = store.fos.get(step.fo);
      if (!fo) return false;
      if (step.kind === 'withdraw') return fo.status === 'CLOSED';
      return fo.requestStatus.startsWith('CANCELLATION_') || fo.status === 'CANCELLED';
    },
  },
};

export const ACTION_NAMES = Object.keys(ACTIONS);

function specOf(name: string): ActionSpec {
  const found = ACTIONS[name];
  if (!found) throw new Error(`unknown action "${name}" (actions: ${ACTION_NAMES.join(', ')})`);
  return found;
}

// ---------------------------------------------------------------------------------------------------
// Processes and files.

const children = new Set<ChildProcess>();

/** SIGKILLs every bulkfill child this module started and has not seen exit (for interrupted soaks). */
export function killChildren(): void {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

/** Starts `bulkfill <args>` with a minimal, explicit environment. */
function spawnBin(args: string[], env: Record<string, string>): SpawnedBin {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.tmpdir(), CI: 'true', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const result: SpawnedBin = {
    child,
    stdout: '',
    stderr: '',
    exited: new Promise((resolve) => {
      child.once('close', (code, signal) => {
        children.delete(child);
        resolve({ code, signal });
      });
    }),
  };
  child.stdout.on('data', (chunk: Buffer) => (result.stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (result.stderr += chunk.toString()));
  return result;
}

/** Runs `bulkfill <args>` to its end (SIGKILL after `timeoutMs`). */
async function runBin(args: string[], env: Record<string, string>, timeoutMs: number): Promise<BinResult> {
  const run = spawnBin(args, env);
  const timer = setTimeout(() => run.child.kill('SIGKILL'), timeoutMs);
  const { code, signal } = await run.exited;
  clearTimeout(timer);
  if (signal) throw new Error(`bulkfill ${args.join(' ')}: no exit within ${timeoutMs} ms (killed); stderr ends: ${run.stderr.slice(-2000)}`);
  return { code, stdout: run.stdout, stderr: run.stderr };
}

function parseJson(label: string, result: BinResult): RunReport {
  try {
    return JSON.parse(result.stdout) as RunReport;
  } catch {
    throw new Error(`${label}: exit ${result.code}, no JSON on stdout; stderr: ${result.stderr.slice(-2000)}`);
  }
}

async function inspect<T = unknown>(sb: RunningSandbox, route: string, body?: unknown): Promise<T> {
  const response = await fetch(`${sb.url}/__sandbox/${route}`, {
    method: body === undefined ? 'GET' : 'POST',
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }),
    signal: AbortSignal.timeout(30_000),
  });
  if (!response.ok) throw new Error(`/__sandbox/${route}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

const runsDir = (stateDir: string): string => path.join(stateDir, 'runs');
const journalFiles = (stateDir: string): string[] =>
  existsSync(runsDir(stateDir))
    ? readdirSync(runsDir(stateDir))
        .filter((name) => name.endsWith('.jsonl'))
        .map((name) => path.join(runsDir(stateDir), name))
    : [];

/** The journal's entries; every line must be JSON except a torn last one (no newline after it). */
function readJournalLines(file: string): { entries: JournalRow[]; problems: string[]; tornLastLine: boolean } {
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const torn = lines.pop(); // '' when the file ends with a newline
  const entries: JournalRow[] = [];
  const problems: string[] = [];
  lines.forEach((line, i) => {
    try {
      entries.push(JSON.parse(line) as JournalRow);
    } catch {
      problems.push(`${path.basename(file)} line ${i + 1} is not JSON: ${line.slice(0, 120)}`);
    }
  });
  return { entries, problems, tornLastLine: torn !== '' };
}

/** Reads one journal as a resume would (summarizeJournal must not throw) and line by line. */
interface CheckedJournal {
  file: string;
  entries: JournalRow[];
  summary: JournalState | null;
  problems: string[];
  tornLastLine: boolean;
}

async function checkJournal(file: string): Promise<CheckedJournal> {
  const { entries, problems, tornLastLine } = readJournalLines(file);
  let summary: JournalState | null = null;
  try {
    summary = await summarizeJournal(file);
  } catch (error) {
    problems.push(`${path.basename(file)}: summarizeJournal threw: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { file, entries, summary, problems, tornLastLine };
}

// ---------------------------------------------------------------------------------------------------
// The store and the sandbox.

/**
 * A generated store (every state the four actions care about) whose fulfillment services never answer
 * on their own, so what a run selects stays as planned while it runs; and a CSV of all its order ids.
 */
function writeSoakStore(dir: string, orders: number, seed: number): { fixturePath: string; csvPath: string; orderIds: string[] } {
  const data = generateStore({ orders, seed, now: new Date() });
  for (const service of data.services) {
    Object.assign(service.behaviour, { acceptRate: 0, rejectRate: 0, cancelAcceptRate: 0, cancelRejectRate: 0 });
  }
  const fixturePath = path.join(dir, 'store.json');
  const csvPath = path.join(dir, 'orders.csv');
  writeFileSync(fixturePath, JSON.stringify(data));
  writeFileSync(csvPath, `id\n${data.orders.map((order) => order.id).join('\n')}\n`);
  return { fixturePath, csvPath, orderIds: data.orders.map((order) => orderGid(order.id)) };
}

const faultSpec = (rates: Record<string, number>, slowMs: number): string =>
  [...Object.entries(rates).map(([kind, rate]) => `${kind}=${rate}`), ...(rates.slow ? [`slow-ms=${slowMs}`] : [])].join(',');

/** The store as the sandbox has it now, indexed by GID. */
async function readStore(sb: RunningSandbox): Promise<StoreView> {
  const data = await inspect<StoreData>(sb, 'state');
  const orders = new Map<string, OrderRecord>();
  const fos = new Map<string, FulfillmentOrderRecord>();
  for (const order of data.orders) {
    orders.set(orderGid(order.id), order);
    for (const fo of order.fulfillmentOrders) fos.set(foGid(fo.id), fo);
  }
  return { orders, fos };
}

/**
 * THROTTLED pressure: another client of the same shop (the same token, so the same bucket) that first
 * drains the bucket to a tenth, then keeps spending `share` of the restore rate in bursts of small
 * queries, so the CLI runs on a near-empty bucket whose level it cannot predict and is answered THROTTLED now and then,
 * as when other apps share the shop. stop() resolves to its requests and how many of them were THROTTLED
 * (the sandbox's count less these is the CLI's).
 */
const BURST = 4;

/** What the other client sent, how many were THROTTLED, and the faults it met (by status or kind). */
export interface Neighbour {
  requests: number;
  throttled: number;
  met: Record<string, number>;
}

interface ThrottleStatus {
  currentlyAvailable: number;
  maximumAvailable: number;
}

function startPressure(
  sb: RunningSandbox,
  { orders, share, restoreRate }: { orders: number; share: number; restoreRate: number },
): () => Promise<Neighbour> {
  if (!share) return async () => ({ requests: 0, throttled: 0, met: {} });
  let ended: Promise<Neighbour> | null = null;
  const drainQuery = `{ orders(first: ${Math.max(1, Math.min(250, orders))}) { nodes { id name } } }`;
  const first = Math.max(1, Math.min(25, orders));
  const query = `{ orders(first: ${first}) { nodes { id name } } }`;
  const everyMs = Math.max(5, Math.round(((BURST * (first + 2)) / (share * restoreRate)) * 1000));
  let stopped = false;
  const tally: Neighbour = { requests: 0, throttled: 0, met: {} };
  const send = async (text: string): Promise<ThrottleStatus | undefined> => {
    tally.requests++;
    const body = await fetch(`${sb.url}/admin/api/2026-10/graphql.json`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Shopify-Access-Token': sb.token },
      body: JSON.stringify({ query: text }),
      signal: AbortSignal.timeout(everyMs + 1_000),
    })
      .then((response) => {
        if (response.status !== 200) tally.met[response.status] = (tally.met[response.status] ?? 0) + 1;
        return response.json() as Promise<{
          errors?: { extensions?: { code?: string } }[];
          extensions?: { cost?: { throttleStatus?: ThrottleStatus } };
        }>;
      })
      .catch((error: unknown) => {
        // Its faults are not ours to handle, only to count: the sandbox counts every client's.
        const name = error instanceof Error ? error.name : '';
        const kind = name === 'TimeoutError' ? 'timeout' : name === 'SyntaxError' ? 'malformed' : 'reset';
        tally.met[kind] = (tally.met[kind] ?? 0) + 1;
        return undefined;
      });
    if (Array.isArray(body?.errors) && body.errors.some((error) => error?.extensions?.code === 'THROTTLED')) tally.throttled++;
    return body?.extensions?.cost?.throttleStatus;
  };
  const loop = (async () => {
    for (let draining = true; draining && !stopped;) {
      const status = await send(drainQuery);
      draining = status !== undefined && status.currentlyAvailable > status.maximumAvailable / 10;
    }
    // Then bursts: BURST queries at once take their points in one instant, as another app's batch would.
    while (!stopped) {
      await Promise.all(Array.from({ length: BURST }, () => send(query)));
      if (!stopped) await sleep(everyMs);
    }
  })();
  return () => {
    stopped = true;
    return (ended ??= loop.then(() => tally));
  };
}

const pressureOf = (o: SoakOptions) => ({
  orders: o.orders,
  share: o.pressure,
  restoreRate: (o.restoreRate ?? PLANS[o.plan].restoreRate) * o.timeScale,
});

// ---------------------------------------------------------------------------------------------------
// Plans and the invariant.

/** What a journal's run planned: order GID -> steps (the last `planned` line per order). */
function plannedSteps(entries: JournalRow[]): Plan {
  const planned: Plan = new Map();
  for (const entry of entries) if (entry.t === 'planned') planned.set(entry.order as string, entry.steps as Step[]);
  return planned;
}

/** The plan of a --dry-run over the selection, in its own state directory. */
async function dryRunPlan({
  action,
  sb,
  csvPath,
  workDir,
  timeoutMs,
  extraFlags,
}: {
  action: string;
  sb: RunningSandbox;
  csvPath: string;
  workDir: string;
  timeoutMs: number;
  extraFlags: string[];
}) {
  const stateDir = mkdtempSync(path.join(workDir, 'dry-'));
  const env = { SHOPIFY_STORE: sb.url, SHOPIFY_ACCESS_TOKEN: sb.token, BULKFILL_STATE_DIR: stateDir };
  const result = await runBin([action, '--csv', csvPath, ...specOf(action).flags, ...extraFlags, '--dry-run', '--json'], env, timeoutMs);
  const report = parseJson(`${action} --dry-run`, result);
  if (result.code !== 0) throw new Error(`${action} --dry-run exited ${result.code}: ${result.stderr.slice(-2000)}`);
  const [file] = journalFiles(stateDir);
  if (!file) throw new Error(`${action} --dry-run left no journal`);
  const planned = plannedSteps(readJournalLines(file).entries);
  const planCount = report.orders.filter((order) => order.outcome === 'planned').length;
  if (planCount !== planned.size) throw new Error(`${action} --dry-run: ${planCount} orders planned in --json, ${planned.size} in its journal`);
  return { planned, summary: report.summary };
}

function tally(map: Record<string, number>, key: string): void {
  map[key] = (map[key] ?? 0) + 1;
}

/**
 * Checks the invariant (see the top of this file) and returns its figures; `violations` lists every
 * breach, with the orders or targets concerned.
 */
function checkInvariant({
  action,
  orderIds,
  dryPlan,
  runPlan,
  store,
  counters,
  report,
  journal,
}: {
  action: string;
  orderIds: string[];
  dryPlan: Plan;
  runPlan: Plan;
  store: StoreView;
  counters: CountersSnapshot;
  report: RunReport;
  journal: Pick<JournalState, 'orders'>;
}) {
  const spec = specOf(action);
  const violations = [];
  const sample = (list: string[]) => list.slice(0, 10).join(', ') + (list.length > 10 ? ` … (${list.length})` : '');

  // The real run planned what the dry run did.
  const drift = [...new Set([...dryPlan.keys(), ...runPlan.keys()])].filter(
    (order) => JSON.stringify(dryPlan.get(order)) !== JSON.stringify(runPlan.get(order)),
  );
  if (drift.length) violations.push(`plan drift: the real run planned differently from the dry run for ${sample(drift)}`);

  // Targets: reached, applied exactly once, nothing else applied.
  const targets = new Map<string, Set<string>>(); // mutation -> Set(target)
  const notReached: string[] = [];
  const lostOrders = new Set<string>();
  for (const [order, steps] of runPlan) {
    for (const step of steps) {
      const mutation = spec.mutation(step);
      const target = spec.target(step);
      let wanted = targets.get(mutation);
      if (!wanted) targets.set(mutation, (wanted = new Set()));
      wanted.add(target);
      if (!spec.reached(step, store)) {
        notReached.push(target);
        lostOrders.add(order);
      }
    }
  }
  let duplicates = 0;
  let targetCount = 0;
  const twice = [];
  const outside = [];
  const neverApplied = [];
  let resends = 0;
  for (const [mutation, wanted] of targets) {
    const applied = counters.applied[mutation] ?? {};
    const calls = counters.calls[mutation] ?? {};
    targetCount += wanted.size;
    for (const target of wanted) {
      const n = applied[target] ?? 0;
      if (n === 0) neverApplied.push(`${mutation} ${target}`);
      if (n > 1) {
        duplicates += n - 1;
        twice.push(`${mutation} ${target} ×${n}`);
      }
      resends += Math.max(0, (calls[target] ?? 0) - 1);
    }
    for (const [target, n] of Object.entries(applied)) {
      if (!wanted.has(target)) {
        duplicates += n;
        outside.push(`${mutation} ${target} ×${n}`);
      }
    }
  }
  // Mutations the plan never asked for at all.
  const ownMutations = new Set(spec.mutations);
  for (const [mutation, applied] of Object.entries(counters.applied)) {
    if (ownMutations.has(mutation) && !targets.has(mutation)) {
      for (const [target, n] of Object.entries(applied)) {
        duplicates += n;
        outside.push(`${mutation} ${target} ×${n}`);
      }
    }
  }
  const doubleRefunds = Object.entries(counters.refunds ?? {}).filter(([, n]) => n > 1);
  duplicates += doubleRefunds.reduce((sum, [, n]) => sum + n - 1, 0);
  if (notReached.length) violations.push(`not in the target state: ${sample(notReached)}`);
  if (neverApplied.length) violations.push(`planned but never applied: ${sample(neverApplied)}`);
  if (twice.length) violations.push(`applied more than once: ${sample(twice)}`);
  if (outside.length) violations.push(`applied outside the plan: ${sample(outside)}`);
  if (doubleRefunds.length) violations.push(`refunded more than once: ${sample(doubleRefunds.map(([o, n]) => `${o} ×${n}`))}`);

  // Outcomes: every selected order has a final one, in the --json report and in the journal.
  const outcomes: Record<string, number> = {};
  const reported = new Map(report.orders.map((order) => [order.id, order]));
  const missing = [];
  const unsettled = [];
  const noReason = [];
  const notDone = [];
  for (const order of orderIds) {
    const entry = reported.get(order);
    const fact = journal.orders.get(order)?.outcome;
    if (!entry || !fact) {
      missing.push(order);
      lostOrders.add(order);
      continue;
    }
    tally(outcomes, entry.outcome);
    if (entry.outcome !== fact.outcome) violations.push(`${order}: --json says ${entry.outcome}, the journal ${fact.outcome}`);
    if (!['done', 'already', 'skipped', 'failed'].includes(entry.outcome)) {
      unsettled.push(`${order} ${entry.outcome}`);
      lostOrders.add(order);
    }
    if (runPlan.has(order)) {
      if (entry.outcome !== 'done') {
        notDone.push(`${order} ${entry.outcome}${entry.reason ? `:${entry.reason}` : ''}`);
        lostOrders.add(order);
      }
    } else if ((entry.outcome === 'skipped' || entry.outcome === 'failed') && !entry.reason) noReason.push(order);
    else if (entry.outcome === 'already' && !entry.message) noReason.push(order);
  }
  if (report.orders.length !== orderIds.length) violations.push(`--json lists ${report.orders.length} orders, ${orderIds.length} were selected`);
  if (missing.length) violations.push(`no outcome: ${sample(missing)}`);
  if (unsettled.length) violations.push(`not settled: ${sample(unsettled)}`);
  if (notDone.length) violations.push(`planned but not done: ${sample(notDone)}`);
  if (noReason.length) violations.push(`not acted on, and no reason given: ${sample(noReason)}`);

  return {
    selected: orderIds.length,
    planned: runPlan.size,
    targets: targetCount,
    outcomes,
    duplicates,
    lost: lostOrders.size,
    resends,
    violations,
  };
}

// ---------------------------------------------------------------------------------------------------
// The soaks.

export interface SoakOptions {
  action: string;
  orders: number;
  seed: number;
  plan: PlanName;
  timeScale: number;
  timeoutMs: number;
  slowMs: number;
  settleDeadlineMs: number;
  pressure: number;
  runTimeoutMs: number;
  log: (message: string) => void;
  /** Fault rates by kind (see SOAK_FAULTS). */
  faults: Record<string, number>;
  restoreRate?: number;
  bucketSize?: number;
  concurrency?: number;
  /** Keep the work directory (stores, journals) for a look afterwards. */
  keep?: boolean;
}

export interface KillSoakOptions extends SoakOptions {
  kills: number;
  minDelayMs: number;
  maxDelayMs: number;
  killSeed: number;
}

/** What a caller gives: the action and the size, and any default to override. */
export type Given<T extends SoakOptions> = Partial<T> & Pick<T, 'action' | 'orders'>;

const DEFAULTS: Omit<SoakOptions, 'action' | 'orders' | 'faults'> = {
  seed: 7,
  plan: 'standard',
  /** Sandbox clocks (and the bucket's refill) run this many times faster than real time. */
  timeScale: 5,
  /** The CLI's per-request timeout; `slow` faults are held longer than this. */
  timeoutMs: 2_000,
  slowMs: 3_000,
  /** How long an accepted cancel may take to show: well past the sandbox's job delay at this time scale. */
  settleDeadlineMs: 5_000,
  /** Share of the restore rate another client of the shop spends meanwhile (THROTTLED pressure); 0: none. */
  pressure: 0.25,
  runTimeoutMs: 600_000,
  log: () => {},
};

/** Engine flags for every run: the short timeout that `slow` faults outlast, the settle deadline. */
const engineFlags = (o: SoakOptions): string[] => [
  '--timeout',
  String(o.timeoutMs),
  '--settle-deadline',
  String(o.settleDeadlineMs),
  ...(o.concurrency ? ['--concurrency', String(o.concurrency)] : []),
];

async function withSandbox<T>(
  options: SoakOptions,
  body: (context: { sb: RunningSandbox; workDir: string; fixturePath: string; csvPath: string; orderIds: string[] }) => Promise<T>,
): Promise<T> {
  const workDir = mkdtempSync(path.join(os.tmpdir(), `bulkfill-soak-${options.action}-`));
  const store = writeSoakStore(workDir, options.orders, options.seed);
  const sb = await startSandbox({
    port: 0,
    orders: 0,
    seed: options.seed,
    plan: options.plan,
    timeScale: options.timeScale,
    fixturePath: store.fixturePath,
    ...(options.bucketSize ? { bucketSize: options.bucketSize } : {}),
  });
  try {
    return await body({ sb, workDir, ...store });
  } finally {
    await sb.close();
    if (options.keep !== true) rmSync(workDir, { recursive: true, force: true });
  }
}

/**
 * One action over `orders` generated orders with faults injected: a dry run (no faults) for the plan,
 * then the real run with `--yes --json`, then the invariant. Returns the figures.
 */
export async function faultSoak(given: Given<SoakOptions>) {
  const o: SoakOptions = { ...DEFAULTS, faults: SOAK_FAULTS, ...given };
  return withSandbox(o, async ({ sb, workDir, csvPath, orderIds }) => {
    const dry = await dryRunPlan({ action: o.action, sb, csvPath, workDir, timeoutMs: o.runTimeoutMs, extraFlags: [] });
    o.log(`${o.action}: ${orderIds.length} orders, ${dry.planned.size} to act on; running with faults ${faultSpec(o.faults, o.slowMs)}`);
    await inspect(sb, 'faults', { spec: faultSpec(o.faults, o.slowMs) });
    await inspect(sb, 'counters/reset', {});

    const stateDir = mkdtempSync(path.join(workDir, 'state-'));
    const env = { SHOPIFY_STORE: sb.url, SHOPIFY_ACCESS_TOKEN: sb.token, BULKFILL_STATE_DIR: stateDir };
    const started = performance.now();
    const stopPressure = startPressure(sb, pressureOf(o));
    const result = await runBin(
      [o.action, '--csv', csvPath, ...specOf(o.action).flags, ...engineFlags(o), '--yes', '--json'],
      env,
      o.runTimeoutMs,
    ).finally(() => stopPressure());
    const wallMs = performance.now() - started;
    const neighbour = await stopPressure();
    await inspect(sb, 'faults', { spec: '' });
    const report = parseJson(o.action, result);

    const journals = await Promise.all(journalFiles(stateDir).map(checkJournal));
    const [journal] = journals;
    if (!journal) throw new Error(`${o.action}: the run left no journal; exit ${result.code} ${result.stderr.slice(-600)}`);
    const counters = await inspect<CountersSnapshot>(sb, 'counters');
    const figures = checkInvariant({
      action: o.action,
      orderIds,
      dryPlan: dry.planned,
      runPlan: plannedSteps(journal.entries),
      store: await readStore(sb),
      counters,
      report,
      journal: journal.summary ?? { orders: new Map() },
    });
    if (journals.length !== 1) figures.violations.push(`${journals.length} journals for one run`);
    figures.violations.push(...journals.flatMap((j) => j.problems));
    if (result.code !== 0) figures.violations.unshift(`exit code ${result.code} (want 0); stderr ends: ${result.stderr.slice(-600)}`);
    if (/\n\s+at .*\.js:\d+/.test(result.stderr)) figures.violations.push(`a stack trace on stderr: ${result.stderr.slice(-600)}`);
    return {
      kind: 'fault' as const,
      action: o.action,
      orders: o.orders,
      ...figures,
      exitCode: result.code,
      wallMs: Math.round(wallMs),
      faults: counters.requests.faults,
      faultsTotal: Object.values(counters.requests.faults).reduce((a, b) => a + b, 0),
      requests: counters.requests.graphql - neighbour.requests,
      throttled: counters.requests.throttled - neighbour.throttled,
      neighbour,
    };
  });
}

/**
 * One action's run killed with SIGKILL `kills` times at random moments (`minDelayMs`..`maxDelayMs`
 * after it starts — for a fresh start after one killed while planning, after its plan is complete, so
 * kills land mostly while executing) and resumed with `--resume last --yes` each time; then a final
 * resume to the end and the invariant. Every journal is read back after every kill.
 */
export async function killSoak(given: Given<KillSoakOptions>) {
  const o: KillSoakOptions = { ...DEFAULTS, faults: {}, kills: 20, minDelayMs: 100, maxDelayMs: 3_000, killSeed: 20261126, ...given };
  const random = seededRandom(o.killSeed);
  return withSandbox(o, async ({ sb, workDir, csvPath, orderIds }) => {
    const dry = await dryRunPlan({ action: o.action, sb, csvPath, workDir, timeoutMs: o.runTimeoutMs, extraFlags: [] });
    if (Object.keys(o.faults).length) await inspect(sb, 'faults', { spec: faultSpec(o.faults, o.slowMs) });
    await inspect(sb, 'counters/reset', {});
    o.log(`${o.action}: ${orderIds.length} orders, ${dry.planned.size} to act on; ${o.kills} kills`);

    const stateDir = mkdtempSync(path.join(workDir, 'state-'));
    const env = { SHOPIFY_STORE: sb.url, SHOPIFY_ACCESS_TOKEN: sb.token, BULKFILL_STATE_DIR: stateDir };
    const fresh = [o.action, '--csv', csvPath, ...specOf(o.action).flags, ...engineFlags(o), '--yes', '--json'];
    const resume = [o.action, '--resume', 'last', ...engineFlags(o), '--yes', '--json'];
    const violations = [];
    const killLog = [];
    const phases: Record<string, number> = {};
    let starts = 0;
    let resumes = 0;
    let refusals = 0;
    let kills = 0;
    let afterPlanning = false; // the last kill landed while planning
    let finishedEarly = null;
    const started = performance.now();
    const stopPressure = startPressure(sb, pressureOf(o));

    /** The run that completed its plan, if any: what `--resume last` must carry on. */
    const planned = async () => {
      const journals = await Promise.all(journalFiles(stateDir).map(checkJournal));
      return { journals, run: journals.find((j) => j.summary?.planComplete) ?? null };
    };

    for (let k = 1; k <= o.kills; k++) {
      const before = await planned();
      const outcomesBefore = before.run ? countOutcomes(before.run.entries) : 0;
      const isResume = before.run !== null;
      const spawnedAt = Date.now();
      const run = spawnBin(isResume ? resume : fresh, env);
      if (isResume) resumes++;
      else starts++;
      const delay = Math.round(o.minDelayMs + random() * (o.maxDelayMs - o.minDelayMs));
      if (!isResume && afterPlanning) await until(() => planCompleteIn(stateDir, before.journals), run, o.runTimeoutMs);
      const exited = await Promise.race([sleep(delay).then(() => null), run.exited]);
      if (exited) {
        // It ended before the kill: finished (the kills came too late), or refused to resume.
        if (isResume && exited.code === 2 && /while planning/.test(run.stderr)) {
          refusals++;
          k--;
          continue;
        }
        finishedEarly = { atKill: k, code: exited.code, stderr: run.stderr.slice(-600) };
        break;
      }
      run.child.kill('SIGKILL');
      await run.exited;
      kills++;
      const after = await planned();
      for (const journal of after.journals) violations.push(...journal.problems.map((p) => `after kill ${k}: ${p}`));
      const phase = !after.run
        ? 'planning'
        : !isResume && !before.run
          ? 'executing'
          : countOutcomes(after.run.entries) > outcomesBefore || countSends(after.run.entries) > countSends(before.run?.entries ?? [])
            ? 'executing'
            : 'starting';
      afterPlanning = phase === 'planning';
      tally(phases, phase);
      killLog.push({
        kill: k,
        resume: isResume,
        delayMs: delay,
        phase,
        ...(after.run ? timeline(after.run.entries.slice(before.run?.entries.length ?? 0), spawnedAt) : {}),
        torn: after.journals.some((j) => j.tornLastLine),
      });
      const applied = await inspect<CountersSnapshot>(sb, 'counters');
      const twice = Object.values(applied.applied)
        .flatMap((perTarget) => Object.values(perTarget))
        .filter((n) => n > 1).length;
      if (twice) violations.push(`after kill ${k}: ${twice} targets applied more than once`);
      o.log(`  kill ${k}/${o.kills} after ${delay} ms (${isResume ? 'resume' : 'fresh start'}; ${phase})`);
    }

    // The final resume, to the end (a run killed while planning is started again instead).
    let final;
    let finalMs = 0;
    let finalRuns = 0;
    for (;;) {
      const current = await planned();
      const args = current.run ? resume : fresh;
      if (current.run) resumes++;
      else starts++;
      finalRuns++;
      const finalStarted = performance.now();
      final = await runBin(args, env, o.runTimeoutMs);
      finalMs = performance.now() - finalStarted;
      if (final.code === 2 && /while planning/.test(final.stderr) && finalRuns < 3) {
        refusals++;
        continue;
      }
      break;
    }
    const wallMs = performance.now() - started;
    const neighbour = await stopPressure();
    const report = parseJson(`${o.action} final resume`, final);
    const { journals, run } = await planned();
    for (const journal of journals) violations.push(...journal.problems);
    if (!run) throw new Error(`${o.action}: no run completed its plan; final: exit ${final.code} ${final.stderr.slice(-600)}`);
    const counters = await inspect<CountersSnapshot>(sb, 'counters');
    const figures = checkInvariant({
      action: o.action,
      orderIds,
      dryPlan: dry.planned,
      runPlan: plannedSteps(run.entries),
      store: await readStore(sb),
      counters,
      report,
      journal: run.summary ?? { orders: new Map() },
    });
    if (final.code !== 0) figures.violations.unshift(`final resume exit code ${final.code} (want 0); stderr ends: ${final.stderr.slice(-600)}`);
    if (finishedEarly) figures.violations.push(`the run finished before kill ${finishedEarly.atKill} (exit ${finishedEarly.code}): make it longer`);
    figures.violations.push(...violations);
    return {
      kind: 'kill' as const,
      action: o.action,
      orders: o.orders,
      ...figures,
      kills,
      killPhases: phases,
      resumes,
      freshStarts: starts,
      resumeRefusals: refusals,
      tornJournals: killLog.filter((k) => k.torn).length,
      exitCode: final.code,
      wallMs: Math.round(wallMs),
      finalResumeMs: Math.round(finalMs),
      faults: counters.requests.faults,
      requests: counters.requests.graphql - neighbour.requests,
      throttled: counters.requests.throttled - neighbour.throttled,
      neighbour,
      killLog,
    };
  });
}

/** When (ms after the spawn) this process's journal lines began: its start, its first send, its first outcome. */
function timeline(entries: JournalRow[], spawnedAt: number) {
  const first = (t: string) => {
    const entry = entries.find((e) => e.t === t);
    return entry ? Date.parse(entry.at ?? entry.startedAt ?? '') - spawnedAt : null;
  };
  return { startedMs: first('resumed') ?? first('header'), firstSentMs: first('sent'), firstOutcomeMs: first('outcome'), lines: entries.length };
}

const countOutcomes = (entries: JournalRow[]): number => entries.reduce((n, e) => n + (e.t === 'outcome' ? 1 : 0), 0);
const countSends = (entries: JournalRow[]): number => entries.reduce((n, e) => n + (e.t === 'sent' ? 1 : 0), 0);

/** Whether a journal not among `known` has its plan complete. */
function planCompleteIn(stateDir: string, known: CheckedJournal[]): boolean {
  const old = new Set(known.map((j) => j.file));
  return journalFiles(stateDir).some((file) => !old.has(file) && readFileSync(file, 'utf8').includes('"t":"plan-complete"'));
}

/** Polls `condition` until it holds or the child exits (or `timeoutMs`). */
async function until(condition: () => boolean, run: SpawnedBin, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let exited = false;
  run.exited.then(() => (exited = true));
  while (!exited && performance.now() < deadline && !condition()) await sleep(25);
}

// ---------------------------------------------------------------------------------------------------
// Reporting.

export type FaultSoakResult = Awaited<ReturnType<typeof faultSoak>>;
export type KillSoakResult = Awaited<ReturnType<typeof killSoak>>;
export type SoakResult = FaultSoakResult | KillSoakResult;

export function formatFigures(results: SoakResult[]): string {
  const faultKinds = ['503', '429', 'reset-before', 'reset-after', 'slow', '500', 'malformed'];
  const lines = [];
  const faults = results.filter((r) => r.kind === 'fault');
  if (faults.length) {
    lines.push('fault soak');
    lines.push(
      row([
        'action',
        'orders',
        'planned',
        'faults',
        ...faultKinds.slice(0, 5),
        'throttled',
        'done',
        'already',
        'skipped',
        'failed',
        'unknown',
        'dups',
        'lost',
        'wall s',
        'ok',
      ]),
    );
    for (const r of faults) {
      lines.push(
        row([
          r.action,
          r.orders,
          r.planned,
          r.faultsTotal,
          ...faultKinds.slice(0, 5).map((k) => r.faults[k] ?? 0),
          r.throttled,
          ...['done', 'already', 'skipped', 'failed', 'unknown'].map((k) => r.outcomes[k] ?? 0),
          r.duplicates,
          r.lost,
          (r.wallMs / 1000).toFixed(1),
          r.violations.length ? 'NO' : 'yes',
        ]),
      );
    }
  }
  for (const r of results.filter((r) => r.kind === 'kill')) {
    lines.push('');
    lines.push(`kill/resume soak: ${r.action}, ${r.orders} orders, ${r.planned} planned`);
    lines.push(
      `  kills ${r.kills} (${Object.entries(r.killPhases)
        .map(([p, n]) => `${p} ${n}`)
        .join(', ')}), resumes ${r.resumes}, fresh starts ${r.freshStarts}, ` +
        `duplicates ${r.duplicates}, lost ${r.lost}, outcomes ${JSON.stringify(r.outcomes)}, wall ${(r.wallMs / 1000).toFixed(1)} s, ${r.violations.length ? 'NOT OK' : 'ok'}`,
    );
  }
  for (const r of results) for (const v of r.violations) lines.push(`  ! ${r.kind} ${r.action}: ${v}`);
  return lines.join('\n');
}

function row(cells: (string | number)[]): string {
  return cells.map((c, i) => (i === 0 ? String(c).padEnd(20) : String(c).padStart(i === cells.length - 1 ? 4 : 8))).join(' ');
}
