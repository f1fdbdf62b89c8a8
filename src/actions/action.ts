// What a bulk action is, as data and pure functions: which GraphQL documents it sends and how it
// decides, reads answers and recognises its own effect. The run engine (src/run/) does everything
// else — selection, batching, pacing, retries, journal, confirmation — the same way for every action.

/** Counts (or sums) by item — delivery method, service handle, currency — in a survey or the plan's facts. */
export type Tally<Item extends string = string> = Partial<Record<Item, number>>;

/**
 * An action's plan facts: groups (a heading each in the plan, an item a row under it) and plain
 * counts. Each action declares its own, every field optional (`{ method?: Tally<DeliveryMethod> }`):
 * the plan counts them from `{}`.
 */
export type PlanFacts = { [group: string]: Tally | number | undefined };

/** Adds to an item of a tally. */
export function count<Item extends string>(tally: Tally<Item>, item: Item, by = 1): void {
  tally[item] = (tally[item] ?? 0) + by;
}

/** A tally's items, most first (then by name). */
export function ranked<Item extends string>(tally: Tally<Item> | undefined): { value: Item; count: number }[] {
  return (Object.entries(tally ?? {}) as [Item, number][])
    .map(([value, n]) => ({ value, count: n }))
    .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
}

/** The order as the action's lookup document returned it, minimally parsed. */
export interface OrderSnapshot {
  id: string;
  name: string;
}

/** What the plan says for one order. Steps are plain JSON: they are journaled and replayed on resume. */
export type Decision<Step> =
  { kind: 'act'; steps: Step[] } | { kind: 'already'; message: string } | { kind: 'skip'; reason: string; message: string };

/** How one mutation's answer reads. */
export type StepAnswer =
  | { kind: 'applied'; accepted?: unknown }
  /** The target is already in the state the step wanted (nothing was changed). */
  | { kind: 'already'; message: string }
  /** Shopify refused; `reason` is a stable code for reports, `message` Shopify's words. */
  | { kind: 'rejected'; reason: string; message: string; code: string | null }
  /** The answer does not say what happened (no payload): it may have been applied, like a lost answer. */
  | { kind: 'unreadable'; message: string };

/** After an ambiguous send (timeout, reset, 5xx): did the step take effect? */
/**
 * `unknowable`: what can be read cannot tell whether a sent step took effect (say its effect would show
 * on another object). Such a step is never sent again: it ends `unknown`, for a person to check.
 */
export type Verification = 'applied' | 'not-applied' | 'pending' | 'unknowable';

/** A mutation (or another single request). */
export interface GraphQLDocument {
  text: string;
  /** Points Shopify is expected to charge (requested cost), for pacing before the first answer. */
  expectedCost: number;
}

/**
 * A `nodes(ids:)` read. Its requested cost is the number of ids times the cost of one node (Shopify's
 * rule for `nodes`), so the cost of one node is its only figure. test/sandbox/document-costs.test.ts
 * holds every figure to the sandbox's cost calculator.
 */
export interface NodesDocument {
  text: string;
  costPerNode: number;
}

/** A lookup: Order nodes by id, with just the fields the action needs (lookup points count too). */
export interface Lookup<Snapshot extends OrderSnapshot> {
  /** A `nodes(ids:)` read of orders: `costPerOrder` points per id. */
  document: { text: string; costPerOrder: number };
  /** Extra variables beside `ids` (e.g. whether to read the customer). */
  variables(): Record<string, unknown>;
  /** null when the node is not an order (or not visible). */
  parse(node: unknown): Snapshot | null;
  /**
   * The same facts for every order a search selects, as a bulk export query (rate-limit free). Its
   * `"__SEARCH__"` literal is replaced by the search; each order's nested connection comes back as
   * lines of its own, which are put under `children` as `{ nodes: [...] }` before `parse`.
   */
  export?: { template: string; children: string };
  refine?: Refinement<Snapshot>;
}

/**
 * A second, small read for the few orders whose decision needs more than the lookup (or an export)
 * can read: `targets` names the nodes to read for a snapshot (none for most), `merge` adds what came.
 */
export interface Refinement<Snapshot> {
  document: NodesDocument;
  targets(snapshot: Snapshot): string[];
  /** `nodes` in `targets`' order; null where a node is missing. */
  merge(snapshot: Snapshot, nodes: unknown[]): Snapshot;
}

export interface Mutation<Step> {
  /** Most actions send one mutation; a step may also choose (cancel-request: withdraw or request). */
  document(step: Step): GraphQLDocument;
  variables(step: Step): Record<string, unknown>;
  /** Reads the answer's `data` (e.g. its `orderCancel` payload). */
  read(data: unknown, step: Step): StepAnswer;
  /** How a done step is told apart in reports, when an action does a step more than one way ("withdrawn"). */
  note?(step: Step): string;
}

/** How to read back, in a batch, whether steps took effect; `key` says which node answers a step. */
export interface Readback<Step> {
  document: NodesDocument;
  /** The GID to read for a step: the order, or a fulfillment order. */
  target(step: Step): string;
  verify(node: unknown, step: Step): Verification;
}

/** One way of polling an asynchronous effect: a batched read of nodes and how to read each. */
export interface ConfirmationCheck<Step> {
  document: NodesDocument;
  /** The GID to poll for a step, from what its mutation answered (e.g. the job result id). */
  target(step: Step, accepted: unknown): string;
  read(node: unknown): { kind: 'done' } | { kind: 'pending' } | { kind: 'failed'; reason: string; message: string };
}

/**
 * Actions whose effect is asynchronous (orderCancel returns a job): the step is `applied` when
 * Shopify accepted it, and only `done` once confirmed. `check` is the cheap poll that settles most
 * steps; `explain`, when given, is asked about steps still pending after a few polls (it can tell a
 * failure from slowness).
 */
export interface Confirmation<Step> {
  check: ConfirmationCheck<Step>;
  explain?: ConfirmationCheck<Step>;
  /**
   * Many steps at once are confirmed by one bulk export (free of the rate limit) of the orders in the
   * confirmed state since the run started, instead of a point per order: `template` is an export query
   * whose `"__SEARCH__"` becomes `search(sinceIso)`, and an order it lists is confirmed. `check.target`
   * must name the order.
   */
  bulk?: { template: string; search(sinceIso: string): string };
  /** How long to wait before the first poll, and the give-up deadline (then: unknown). */
  firstPollMs: number;
  deadlineMs: number;
}

/**
 * `Survey` and `Facts` are the action's own records (every field optional, they start as `{}`): what
 * its questions are offered, and what its plan shows beyond the counts.
 */
export interface BulkAction<Options, Snapshot extends OrderSnapshot, Step, Survey extends object = object, Facts extends PlanFacts = PlanFacts> {
  /** The command name, e.g. 'cancel'. */
  name: string;
  /** Past-tense verb for reports, e.g. 'cancelled'. */
  doneVerb: string;
  /** Options may be partial: when a person chooses them from what was selected, orders are read first. */
  lookup(options: Partial<Options>): Lookup<Snapshot>;
  /**
   * What the selection offers to choose from, counted before anyone is asked (e.g. fulfillment orders
   * per service, orders with money to refund): prompts offer only these.
   */
  survey?(snapshot: Snapshot, survey: Survey, known: Partial<Options>): void;
  plan(snapshot: Snapshot, options: Options): Decision<Step>;
  mutation(options: Options): Mutation<Step>;
  readback(options: Options): Readback<Step>;
  confirmation?(options: Options): Confirmation<Step> | null;
  /** Plan facts (e.g. refund totals) of one step to act on; counted again for what a resume has left. */
  stepFacts?(step: Step, facts: Facts): void;
}
