// Shopify's calculated query cost, as emulated by the sandbox.
//
// Published rules (https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits, "Cost calculation"):
//   Scalar 0 · Enum 0 · Object 1 · Interface / Union "Maximum of possible selections" ·
//   Connection "Sized by `first` and `last` arguments" · Mutation 10.
//   The requested cost is computed from the document before execution; the actual cost from the result,
//   "lower than requested cost due to the actual objects returned or connections that return fewer edges".
//   "A single query may not exceed a cost of 1,000 points" (checked against the requested cost).
// Shopify's engineering blog ("Rate Limiting GraphQL APIs by Calculating Query Complexity") adds that a
// connection costs two points plus the objects it returns.
//
// Where the docs are silent, the sandbox uses these rules (each marked "[sandbox rule]" below):
//   1. Connection (object type whose name ends in `Connection`): 2 + N × nodeCost.
//      N = `first` or `last` (variables resolved; the larger one if both are given; 0 if neither; negative → 0).
//      nodeCost = cost of one node: the node object counts 1 plus its nested selections. `edges`, `node`,
//      `nodes`, `cursor`, `pageInfo` add nothing beyond the formula; when one node is seen through several
//      views (`edges { node }` and `nodes`, or aliases of them) nodeCost is the max of the views, not the sum.
//      Other fields of a connection / edge type (none in the sandbox schema) are costed normally, once per
//      connection / once per node. A connection selecting no node view (only `pageInfo` / `edges { cursor }`)
//      costs 2.
//   2. Interface / union field: max over the schema's possible object types T of (1 + cost of the fields
//      that apply to T) — i.e. the max of the possible selections, each possible selection being an object.
//      Fragments on different types are therefore maxed, fragments that apply to the same type are summed.
//   3. Root `nodes(ids:)`: (number of ids) × (1 + max selection cost). Root `node(id:)`: an interface field,
//      i.e. 1 + max selection cost (same as an object).
//   4. Plain (non-connection) list of objects: 1 + its selection cost, once — not multiplied by the length.
//   5. Every mutation root field costs 10, whatever its payload selection (payload selections are free).
//   6. `__typename` and introspection fields (`__schema`, `__type`) cost 0 with everything under them.
//   7. Fields are merged by response key exactly like execution does (same key → one field, selections
//      concatenated); different aliases of the same field each cost.
//   8. `@skip` / `@include` are honoured; a condition that cannot be evaluated (e.g. a missing variable)
//      counts the selection as included (over-estimates rather than under-estimates).
//   Actual cost: same rules, but each connection is charged for the nodes actually present in the result
//   (2 + Σ per returned node of its actual cost), `nodes(ids:)` for its non-null entries, a field that is
//   null or absent in the result costs 0, a plain list costs 1 + the max actual cost of its items (1 if
//   empty), and a mutation root field costs 10 as soon as its key is present in `data` (even if null).
//   The runtime type of an interface / union value is taken from a selected `__typename`, else from a
//   selected `id` holding a Shopify GID (`gid://shopify/<Type>/…`), else the max over possible types.

import {
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  getVariableValues,
  isAbstractType,
  isCompositeType,
  isListType,
  isNonNullType,
  isObjectType,
  typeFromAST,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type FragmentSpreadNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type InlineFragmentNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/** Shopify's single-query limit, checked against the requested cost before execution. */
export const SINGLE_QUERY_MAX_COST = 1000;

/** Cost of every mutation root field (published). */
export const MUTATION_FIELD_COST = 10;

/** Fixed part of a connection's cost ([sandbox rule] 1, from Shopify's engineering blog). */
export const CONNECTION_BASE_COST = 2;

export interface MaxCostExceededError {
  message: string;
  extensions: {
    code: 'MAX_COST_EXCEEDED';
    cost: number;
    maxCost: number;
    documentation: string;
  };
}

/** Shopify's `MAX_COST_EXCEEDED` error object (sent as `{ errors: [this] }`, with no `extensions.cost`). */
export function maxCostExceededError(cost: number, maxCost: number = SINGLE_QUERY_MAX_COST): MaxCostExceededError {
  return {
    message:
      `Query cost is ${cost}, which exceeds the single query max cost limit (${maxCost}).\n\n` +
      'See https://shopify.dev/concepts/about-apis/rate-limits for more information on how the\n' +
      'cost of a query is calculated.\n\n' +
      'To query larger amounts of data with fewer limits, bulk operations should be used instead.\n' +
      'See https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api for usage details.\n',
    extensions: {
      code: 'MAX_COST_EXCEEDED',
      cost,
      maxCost,
      documentation: 'https://shopify.dev/api/usage/limits#rate-limits',
    },
  };
}

/** How the variables are given: `coerced` when they are getVariableValues()'s output already (no second pass). */
export interface CostOptions {
  coerced?: boolean;
}

/** Static (pre-execution) cost of the selected operation. The document is assumed to be valid. */
export function requestedQueryCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | undefined,
  variables: Record<string, unknown>,
  options: CostOptions = {},
): number {
  const { ctx, rootType, operation } = prepare(schema, document, operationName, variables, REQUESTED, options);
  return selectionCost(ctx, rootType, [operation.selectionSet], STAND_IN);
}

/** Post-execution cost: the same rules, walked alongside the execution result's `data`. */
export function actualQueryCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | undefined,
  variables: Record<string, unknown>,
  data: unknown,
  options: CostOptions = {},
): number {
  const { ctx, rootType, operation } = prepare(schema, document, operationName, variables, ACTUAL, options);
  return isRecord(data) ? selectionCost(ctx, rootType, [operation.selectionSet], data) : 0;
}

// ---------------------------------------------------------------------------------------------------
// Set-up

interface CostContext {
  readonly schema: GraphQLSchema;
  readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  readonly variables: Readonly<Record<string, unknown>>;
  readonly queryType: GraphQLObjectType | null | undefined;
  readonly mutationType: GraphQLObjectType | null | undefined;
  readonly mode: CostMode;
}

/** Fields of one selection, grouped by response key (alias or name), in document order. */
type CollectedFields = Map<string, FieldNode[]>;

/** The selection sets of one field (fields with the same response key are merged) or of the operation. */
type Selections = readonly SelectionSetNode[];

function prepare(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | undefined,
  variables: Record<string, unknown>,
  mode: CostMode,
  options: CostOptions,
): { ctx: CostContext; rootType: GraphQLObjectType; operation: OperationDefinitionNode } {
  const operation = findOperation(document, operationName);
  const rootType = schema.getRootType(operation.operation);
  if (!rootType) throw new Error(`Schema is not configured to execute ${operation.operation} operation.`);

  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) {
    if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  }

  const ctx: CostContext = {
    schema,
    fragments,
    variables: options.coerced ? variables : coerceVariables(schema, operation, variables),
    queryType: schema.getQueryType(),
    mutationType: schema.getMutationType(),
    mode,
  };
  return { ctx, rootType, operation };
}

function findOperation(document: DocumentNode, operationName: string | undefined): OperationDefinitionNode {
  const operations = document.definitions.filter((def): def is OperationDefinitionNode => def.kind === Kind.OPERATION_DEFINITION);
  if (operationName === undefined || operationName === null) {
    const [only, ...rest] = operations;
    if (!only) throw new Error('Must provide an operation.');
    if (rest.length > 0) throw new Error('Must provide operation name if query contains multiple operations.');
    return only;
  }
  const named = operations.find((op) => op.name?.value === operationName);
  if (!named) throw new Error(`Unknown operation named "${operationName}".`);
  return named;
}

/** Coerces variables like execution does (applies defaults); falls back to the raw input if they are invalid. */
function coerceVariables(schema: GraphQLSchema, operation: OperationDefinitionNode, inputs: Record<string, unknown>): Record<string, unknown> {
  const result = getVariableValues(schema, operation.variableDefinitions ?? [], inputs ?? {});
  return result.coerced ?? { ...inputs };
}

// ---------------------------------------------------------------------------------------------------
// Field collection (merging by response key, fragments, @skip/@include)

function collectFields(ctx: CostContext, type: GraphQLObjectType, selections: Selections): CollectedFields {
  const out: CollectedFields = new Map();
  const visitedFragments = new Set<string>();
  for (const selectionSet of selections) collectInto(ctx, type, selectionSet, out, visitedFragments);
  return out;
}

function collectInto(
  ctx: CostContext,
  type: GraphQLObjectType,
  selectionSet: SelectionSetNode,
  out: CollectedFields,
  visitedFragments: Set<string>,
): void {
  for (const selection of selectionSet.selections) {
    if (!shouldInclude(ctx, selection)) continue;
    switch (selection.kind) {
      case Kind.FIELD: {
        const key = selection.alias?.value ?? selection.name.value;
        const group = out.get(key);
        if (group) group.push(selection);
        else out.set(key, [selection]);
        break;
      }
      case Kind.INLINE_FRAGMENT: {
        if (!fragmentApplies(ctx, selection, type)) continue;
        collectInto(ctx, type, selection.selectionSet, out, visitedFragments);
        break;
      }
      case Kind.FRAGMENT_SPREAD: {
        const name = selection.name.value;
        if (visitedFragments.has(name)) continue;
        visitedFragments.add(name);
        const fragment = ctx.fragments.get(name);
        if (!fragment || !fragmentApplies(ctx, fragment, type)) continue;
        collectInto(ctx, type, fragment.selectionSet, out, visitedFragments);
        break;
      }
    }
  }
}

/** Collected fields that `type` defines (so not `__typename`), with their named type. */
function* definedFields(
  ctx: CostContext,
  type: GraphQLObjectType,
  selections: Selections,
): Generator<{ key: string; name: string; nodes: FieldNode[]; namedType: GraphQLNamedType }> {
  for (const [key, nodes] of collectFields(ctx, type, selections)) {
    const name = nodes[0]?.name.value ?? '';
    const def = type.getFields()[name];
    if (def) yield { key, name, nodes, namedType: getNamedType(def.type) };
  }
}

/** [sandbox rule] 8: a condition that cannot be evaluated counts the selection as included. */
function shouldInclude(ctx: CostContext, node: FieldNode | InlineFragmentNode | FragmentSpreadNode): boolean {
  if (!node.directives || node.directives.length === 0) return true;
  try {
    const skip = getDirectiveValues(GraphQLSkipDirective, node, ctx.variables);
    if (skip?.['if'] === true) return false;
    const include = getDirectiveValues(GraphQLIncludeDirective, node, ctx.variables);
    if (include?.['if'] === false) return false;
  } catch {
    return true;
  }
  return true;
}

function fragmentApplies(ctx: CostContext, fragment: InlineFragmentNode | FragmentDefinitionNode, type: GraphQLObjectType): boolean {
  const condition = fragment.typeCondition;
  if (!condition) return true;
  const conditionType = typeFromAST(ctx.schema, condition);
  if (!conditionType) return false;
  if (conditionType === type) return true;
  if (isAbstractType(conditionType)) return ctx.schema.isSubType(conditionType, type);
  return false;
}

// ---------------------------------------------------------------------------------------------------
// Classification helpers

type FieldKind =
  | { kind: 'free' } // introspection, unknown field, scalar, enum
  | { kind: 'mutation' }
  | { kind: 'nodesByIds'; itemType: GraphQLCompositeType; idsCount: number }
  | { kind: 'connection'; type: GraphQLObjectType; pageSize: number }
  | { kind: 'list'; itemType: GraphQLCompositeType }
  | { kind: 'composite'; type: GraphQLCompositeType };

function classifyField(ctx: CostContext, parentType: GraphQLObjectType, node: FieldNode): FieldKind {
  const name = node.name.value;
  if (name.startsWith('__')) return { kind: 'free' };
  if (parentType === ctx.mutationType) return { kind: 'mutation' };
  const def = parentType.getFields()[name];
  if (!def) return { kind: 'free' };
  const named = getNamedType(def.type);
  if (!isCompositeType(named)) return { kind: 'free' };
  if (parentType === ctx.queryType && name === 'nodes' && def.args.some((arg) => arg.name === 'ids')) {
    return { kind: 'nodesByIds', itemType: named, idsCount: idsCount(argumentsOf(ctx, def, node)['ids']) };
  }
  if (isConnectionType(named)) {
    return { kind: 'connection', type: named, pageSize: pageSize(argumentsOf(ctx, def, node)) };
  }
  if (isListOutput(def)) return { kind: 'list', itemType: named };
  return { kind: 'composite', type: named };
}

function isConnectionType(type: GraphQLCompositeType): type is GraphQLObjectType {
  return isObjectType(type) && type.name.endsWith('Connection');
}

function isListOutput(def: GraphQLField<unknown, unknown>): boolean {
  const nullable = isNonNullType(def.type) ? def.type.ofType : def.type;
  return isListType(nullable);
}

function possibleObjectTypes(ctx: CostContext, type: GraphQLCompositeType): readonly GraphQLObjectType[] {
  return isObjectType(type) ? [type] : ctx.schema.getPossibleTypes(type);
}

function subSelections(nodes: readonly FieldNode[]): SelectionSetNode[] {
  return nodes.flatMap((node) => node.selectionSet ?? []);
}

function argumentsOf(ctx: CostContext, def: GraphQLField<unknown, unknown>, node: FieldNode): Record<string, unknown> {
  try {
    return getArgumentValues(def, node, ctx.variables);
  } catch {
    return {};
  }
}

/** [sandbox rule] 1: N = first or last (max if both), 0 if neither, never negative. */
function pageSize(args: Record<string, unknown>): number {
  let size = 0;
  for (const value of [args['first'], args['last']]) {
    if (typeof value === 'number' && Number.isFinite(value)) size = Math.max(size, Math.floor(value));
  }
  return size;
}

function idsCount(ids: unknown): number {
  if (Array.isArray(ids)) return ids.length;
  return ids === undefined || ids === null ? 0 : 1;
}

// ---------------------------------------------------------------------------------------------------
// Cost modes: the only difference between the requested and the actual cost

/** An object of the result (actual cost), or the stand-in for every object (requested cost). */
type ResultObject = Record<string, unknown>;

/** Entries of a list to charge, each counting `times`. */
interface ListEntries {
  readonly items: readonly unknown[];
  readonly times: number;
}

/** What the walker asks wherever the result would matter; the requested cost answers from the document alone. */
interface CostMode {
  /** Whether a mutation root field ran: its key is in the result, even with a null value. */
  hasKey(parent: ResultObject, key: string): boolean;
  /** The value a field returned; null / undefined costs 0. */
  valueOf(parent: ResultObject, key: string): unknown;
  /** Entries of a plain list or of `nodes(ids:)` (nested lists flattened); `requested` is what was asked for. */
  listEntries(list: unknown, requested: number): ListEntries;
  /** Rows of a connection's `nodes` / `edges`, by index (row i of both is one node); `requested` is its page size. */
  connectionRows(list: unknown, requested: number): ListEntries;
  /** The object types a value of `type` may have; the walker charges the costliest. */
  objectTypes(ctx: CostContext, type: GraphQLCompositeType, selections: Selections, value: ResultObject): readonly GraphQLObjectType[];
}

/** Before execution every field "returns" this one object, so only the document decides the cost. */
const STAND_IN: ResultObject = Object.freeze({});

/** Every field is present, and one stand-in entry counts for all the entries a list asked for. */
const REQUESTED: CostMode = {
  hasKey: () => true,
  valueOf: () => STAND_IN,
  listEntries: (_list, requested) => ({ items: [STAND_IN], times: requested }),
  connectionRows: (_list, requested) => ({ items: [STAND_IN], times: requested }),
  objectTypes: (ctx, type) => possibleObjectTypes(ctx, type),
};

/** Walks `data`: what is null or absent costs 0, and lists count the entries actually returned. */
const ACTUAL: CostMode = {
  hasKey: (parent, key) => Object.hasOwn(parent, key),
  valueOf: (parent, key) => parent[key],
  listEntries: (list) => ({ items: flatten(list), times: 1 }),
  connectionRows: (list) => ({ items: Array.isArray(list) ? list : [], times: 1 }),
  objectTypes: runtimeTypes,
};

// ---------------------------------------------------------------------------------------------------
// The walker (one traversal for both costs)

function selectionCost(ctx: CostContext, type: GraphQLObjectType, selections: Selections, value: ResultObject): number {
  let total = 0;
  for (const [key, nodes] of collectFields(ctx, type, selections)) total += fieldCost(ctx, type, key, nodes, value);
  return total;
}

function fieldCost(ctx: CostContext, parentType: GraphQLObjectType, key: string, nodes: readonly FieldNode[], parent: ResultObject): number {
  const first = nodes[0];
  if (!first) return 0;
  const field = classifyField(ctx, parentType, first);
  if (field.kind === 'free') return 0;
  // [sandbox rule] 5: the payload is free, so a mutation that ran costs 10 even if it returned null.
  if (field.kind === 'mutation') return ctx.mode.hasKey(parent, key) ? MUTATION_FIELD_COST : 0;
  const value = ctx.mode.valueOf(parent, key);
  if (value === null || value === undefined) return 0;
  const subs = subSelections(nodes);
  switch (field.kind) {
    case 'nodesByIds': {
      // [sandbox rule] 3: each id is one object.
      const { items, times } = ctx.mode.listEntries(value, field.idsCount);
      return times * sumOf(items, (item) => objectCost(ctx, field.itemType, subs, item));
    }
    case 'connection':
      return isRecord(value) ? connectionCost(ctx, field.type, subs, value, field.pageSize) : 0;
    case 'list': {
      // [sandbox rule] 4: charged once, as its costliest item (1 when empty).
      const { items } = ctx.mode.listEntries(value, 1);
      return 1 + maxOf(items, (item) => costliestSelection(ctx, field.itemType, subs, item));
    }
    case 'composite':
      return objectCost(ctx, field.type, subs, value);
  }
}

/** An object costs 1 + its selections; a null value costs 0. */
function objectCost(ctx: CostContext, type: GraphQLCompositeType, selections: Selections, value: unknown): number {
  return isRecord(value) ? 1 + costliestSelection(ctx, type, selections, value) : 0;
}

/** [sandbox rule] 2: the selections' cost for the costliest object type the value may have. */
function costliestSelection(ctx: CostContext, type: GraphQLCompositeType, selections: Selections, value: unknown): number {
  if (!isRecord(value)) return 0;
  const objectTypes = ctx.mode.objectTypes(ctx, type, selections, value);
  return maxOf(objectTypes, (objectType) => selectionCost(ctx, objectType, selections, value));
}

/** [sandbox rule] 1: 2 + for each node, its costliest view (`nodes` or `edges`) + the other fields. */
function connectionCost(
  ctx: CostContext,
  connectionType: GraphQLObjectType,
  selections: Selections,
  connection: ResultObject,
  pageSize: number,
): number {
  const nodeCosts: number[] = []; // by row index, so that views of the same node are maxed, not summed
  let others = 0;
  for (const { key, name, nodes, namedType } of definedFields(ctx, connectionType, selections)) {
    const viewCost = nodeViewCost(ctx, name, namedType, subSelections(nodes));
    if (viewCost) {
      const { items, times } = ctx.mode.connectionRows(ctx.mode.valueOf(connection, key), pageSize);
      // `times` ≥ 0 is the same for every view, so maxing times × cost maxes the cost.
      items.forEach((row, index) => {
        nodeCosts[index] = Math.max(nodeCosts[index] ?? 0, times * viewCost(row));
      });
    } else if (name !== 'pageInfo') {
      others += fieldCost(ctx, connectionType, key, nodes, connection);
    }
  }
  return CONNECTION_BASE_COST + others + sumOf(nodeCosts, (cost) => cost);
}

/** The cost of one node as seen through a connection's `nodes` or `edges` field; undefined for other fields. */
function nodeViewCost(ctx: CostContext, name: string, namedType: GraphQLNamedType, selections: Selections): ((row: unknown) => number) | undefined {
  if (name === 'nodes' && isCompositeType(namedType)) return (node) => objectCost(ctx, namedType, selections, node);
  if (name === 'edges' && isObjectType(namedType)) return (edge) => edgeCost(ctx, namedType, selections, edge);
  return undefined;
}

/** An edge costs its node (the costliest alias of `node`) + its other fields; `cursor` is free. */
function edgeCost(ctx: CostContext, edgeType: GraphQLObjectType, selections: Selections, edge: unknown): number {
  if (!isRecord(edge)) return 0;
  let node = 0;
  let others = 0;
  for (const { key, name, nodes, namedType } of definedFields(ctx, edgeType, selections)) {
    if (name === 'node' && isCompositeType(namedType)) {
      node = Math.max(node, objectCost(ctx, namedType, subSelections(nodes), ctx.mode.valueOf(edge, key)));
    } else if (name !== 'cursor') {
      others += fieldCost(ctx, edgeType, key, nodes, edge);
    }
  }
  return node + others;
}

const GID_PATTERN = /^gid:\/\/shopify\/([A-Za-z0-9_]+)\//;

/**
 * The object type(s) a result value may have: the type itself for an object type; for an interface /
 * union, the type named by a selected `__typename`, else by a selected `id` holding a Shopify GID, else all
 * possible types (the caller takes the max).
 */
function runtimeTypes(ctx: CostContext, type: GraphQLCompositeType, selections: Selections, value: ResultObject): readonly GraphQLObjectType[] {
  if (isObjectType(type)) return [type];
  const possible = ctx.schema.getPossibleTypes(type);
  const byName = (name: unknown): GraphQLObjectType | undefined =>
    typeof name === 'string' ? possible.find((candidate) => candidate.name === name) : undefined;

  const idKeys = new Set<string>();
  for (const candidate of possible) {
    for (const [key, nodes] of collectFields(ctx, candidate, selections)) {
      const fieldName = nodes[0]?.name.value;
      if (fieldName === '__typename') {
        const found = byName(value[key]);
        if (found) return [found];
      } else if (fieldName === 'id') {
        idKeys.add(key);
      }
    }
  }
  for (const key of idKeys) {
    const id = value[key];
    if (typeof id !== 'string') continue;
    const found = byName(GID_PATTERN.exec(id)?.[1]);
    if (found) return [found];
  }
  return possible;
}

// ---------------------------------------------------------------------------------------------------
// Small helpers

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function flatten(value: unknown): unknown[] {
  return Array.isArray(value) ? value.flatMap(flatten) : [value];
}

function sumOf<T>(items: readonly T[], cost: (item: T) => number): number {
  let total = 0;
  for (const item of items) total += cost(item);
  return total;
}

function maxOf<T>(items: readonly T[], cost: (item: T) => number): number {
  let best = 0;
  for (const item of items) best = Math.max(best, cost(item));
  return best;
}
