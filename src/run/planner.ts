// The plan: every selected order is read (in batches sized to stay under Shopify's 1000-point query
// cap) and decided on before anything changes. Decisions are journaled as they are made; orders
// to act on are kept, compactly, for the execution that follows.
import type { BulkAction, Lookup, OrderSnapshot, PlanFacts } from '../actions/action.js';
import type { JournalWriter } from '../journal/writer.js';
import type { Requester } from './requester.js';
import type { SelectedOrder } from '../selection/resolve-selection.js';
import type { RunEvents } from './events.js';

const MAX_QUERY_COST = 1000;
const MAX_NODES = 250;
const LOOKUPS_IN_FLIGHT = 3;
/** Orders (with facts or not) held in one batch at most: a bound on memory for exported selections. */
const MAX_HELD_IN_BATCH = 1000;

export interface PlannedOrder<Step> {
  order: string;
  name: string | null;
  steps: Step[];
  /** From a resumed run's journal: steps that may have been sent (when, ms), and what Shopify accepted. */
  sent?: ReadonlyMap<number, number>;
  accepted?: ReadonlyMap<number, unknown>;
}

export interface PlanTotals<Facts extends PlanFacts = PlanFacts> {
  selected: number;
  act: number;
  already: number;
  skipped: number;
  failed: number;
  /** Skips and failures by reason. */
  reasons: Map<string, number>;
  /** Action-specific facts (e.g. refund totals per currency), as the action counts them (BulkAction.stepFacts). */
  facts: Facts;
  /** The --limit cap was reached: more orders matched than were planned. */
  limited: boolean;
  /** On resume: orders the earlier part of the run already did. */
  done?: number;
}

/** Totals before any order is counted: planning starts here, and so does a resume's count of what is left. */
export function emptyPlanTotals(): PlanTotals {
  return { selected: 0, act: 0, already: 0, skipped: 0, failed: 0, reasons: new Map(), facts: {}, limited: false };
}

/**
 * Options a person chooses once the selection is read: orders are looked up and surveyed first (and
 * held, parsed, until then), `choose` is asked, and only then is each order decided.
 */
export interface DeferredOptions<Options> {
  known: Partial<Options>;
  /** `survey`: what the action surveyed of the selection (BulkAction.survey), to offer. */
  choose(survey: object): Promise<Options>;
}

export interface PlannerDeps<Options, Snapshot extends OrderSnapshot, Step> {
  action: BulkAction<Options, Snapshot, Step>;
  options: Options | DeferredOptions<Options>;
  requester: Requester;
  journal: JournalWriter;
  events: RunEvents;
  now(): number;
  signal: AbortSignal;
  /** Safety cap on the number of orders to act on. */
  limit: number | null;
  /** False for a dry run: the plan is counted and journaled, but nothing will execute it. */
  keepPlanned: boolean;
  /** What the journal keeps of options chosen during planning (see DeferredOptions). */
  record(options: Options): Record<string, unknown>;
}

export async function planOrders<Options, Snapshot extends OrderSnapshot, Step>(
  selection: AsyncIterable<SelectedOrder>,
  deps: PlannerDeps<Options, Snapshot, Step>,
): Promise<{ planned: PlannedOrder<Step>[]; totals: PlanTotals; options: Options | null }> {
  const totals = emptyPlanTotals();
  const planned: PlannedOrder<Step>[] = [];
  const deferred = isDeferred(deps.options) ? deps.options : null;
  let options = deferred ? null : (deps.options as Options);
  const lookup = deps.action.lookup(deferred ? deferred.known : (options as Options));
  const survey = {};
  const held: { selected: SelectedOrder; snapshot: Snapshot | null }[] = [];
  const pageSize = Math.max(1, Math.min(MAX_NODES, Math.floor((MAX_QUERY_COST - 10) / lookup.document.costPerOrder)));
  const seen = new Set<string>();
  let batch: SelectedOrder[] = [];
  const at = () => new Date(deps.now()).toISOString();

  const outcome = (order: string, name: string | null, kind: 'already' | 'skipped' | 'failed', reason: string | undefined, message: string) => {
    deps.journal.append({ t: 'outcome', order, name, outcome: kind, ...(reason ? { reason } : {}), message, at: at() });
    totals[kind]++;
    if (reason) totals.reasons.set(reason, (totals.reasons.get(reason) ?? 0) + 1);
    deps.events.emit({ type: 'planned', order, name, decision: kind, reason: reason ?? null });
  };

  const read = (selected: SelectedOrder, snapshot: Snapshot | null) => {
    if (!options) {
      if (snapshot) deps.action.survey?.(snapshot, survey, deferred!.known);
      held.push({ selected, snapshot });
    } else decide(selected, snapshot, options);
  };

  const decide = (selected: SelectedOrder, snapshot: Snapshot | null, options: Options) => {
    if (totals.limited) return; // past --limit: not planned, not reported
    if (!snapshot) return outcome(selected.gid, selected.name, 'failed', 'not-found', `no such order (from ${selected.origin})`);
    const decision = deps.action.plan(snapshot, options);
    if (decision.kind === 'act' && deps.limit !== null && totals.act >= deps.limit) {
      totals.limited = true;
      return;
    }
    if (decision.kind === 'act') for (const step of decision.steps) deps.action.stepFacts?.(step, totals.facts);
    if (decision.kind === 'already') return outcome(snapshot.id, snapshot.name, 'already', undefined, decision.message);
    if (decision.kind === 'skip') return outcome(snapshot.id, snapshot.name, 'skipped', decision.reason, decision.message);
    deps.journal.append({ t: 'planned', order: snapshot.id, name: snapshot.name, steps: decision.steps });
    if (deps.keepPlanned) planned.push({ order: snapshot.id, name: snapshot.name, steps: decision.steps });
    totals.act++;
    deps.events.emit({ type: 'planned', order: snapshot.id, name: snapshot.name, decision: 'act', reason: null });
  };

  // A few lookups in flight at once (the cost gate paces them). Orders are read in selection order:
  // those that came with their facts (an export) wait in the batch with the ones being looked up.
  const inflight: Promise<void>[] = [];
  let toLookUp = 0;
  const flush = () => {
    const flushed = batch;
    batch = [];
    toLookUp = 0;
    const ids = flushed.filter((s) => s.node === undefined).map((s) => s.gid);
    const nodes = ids.length
      ? deps.requester.readNodes(lookup.document.text, ids, lookup.document.costPerOrder, deps.signal, lookup.variables())
      : [];
    const done = Promise.all([nodes, inflight.at(-1)]).then(async ([found]) => {
      let next = 0;
      const parsed = flushed.map((selected) => lookup.parse(selected.node !== undefined ? selected.node : found[next++]));
      const refined = await refineSnapshots(lookup, parsed, deps.requester, deps.signal);
      flushed.forEach((selected, i) => read(selected, refined[i] ?? null));
    });
    done.catch(() => {}); // awaited in turn below; a failure until then is not unhandled
    inflight.push(done);
  };

  for await (const selected of selection) {
    if (seen.has(selected.gid)) continue;
    seen.add(selected.gid);
    totals.selected++;
    batch.push(selected);
    if (selected.node === undefined) toLookUp++;
    // A batch is full by its lookups, or — for facts that came with the orders — by a bounded length.
    if (toLookUp >= pageSize || batch.length >= MAX_HELD_IN_BATCH) flush();
    if (inflight.length >= LOOKUPS_IN_FLIGHT) await inflight.shift();
    if (totals.limited) break;
  }
  if (batch.length && !totals.limited) flush();
  while (inflight.length) await inflight.shift();
  // Nobody is asked to choose for a selection with no orders in it.
  if (!options && held.some((h) => h.snapshot)) options = await deferred!.choose(survey);
  for (const { selected, snapshot } of held.splice(0)) decide(selected, snapshot, options!);
  deps.journal.append({
    t: 'plan-complete',
    at: at(),
    summary: summaryOf(totals),
    ...(deferred && options ? { options: deps.record(options) } : {}),
  });
  return { planned, totals, options };
}

export function isDeferred<Options>(options: Options | DeferredOptions<Options>): options is DeferredOptions<Options> {
  return typeof options === 'object' && options !== null && 'choose' in options && typeof options.choose === 'function';
}

/** The snapshots with their refinement read, in one request for the batch (none when nothing needs it). */
export async function refineSnapshots<Snapshot extends OrderSnapshot>(
  lookup: Lookup<Snapshot>,
  snapshots: (Snapshot | null)[],
  requester: Requester,
  signal: AbortSignal,
): Promise<(Snapshot | null)[]> {
  const refine = lookup.refine;
  if (!refine) return snapshots;
  const targets = snapshots.map((snapshot) => (snapshot ? refine.targets(snapshot) : []));
  const ids = targets.flat();
  if (ids.length === 0) return snapshots;
  // In pages nodes(ids:) and the query cost cap allow.
  const page = Math.max(1, Math.min(MAX_NODES, Math.floor((MAX_QUERY_COST - 10) / refine.document.costPerNode)));
  const nodes: unknown[] = [];
  for (let i = 0; i < ids.length; i += page)
    nodes.push(...(await requester.readNodes(refine.document.text, ids.slice(i, i + page), refine.document.costPerNode, signal)));
  let next = 0;
  return snapshots.map((snapshot, i) => {
    const mine = nodes.slice(next, (next += targets[i]!.length));
    return snapshot && mine.length ? refine.merge(snapshot, mine) : snapshot;
  });
}

export function summaryOf(totals: PlanTotals): Record<string, number> {
  return { selected: totals.selected, act: totals.act, already: totals.already, skipped: totals.skipped, failed: totals.failed };
}
