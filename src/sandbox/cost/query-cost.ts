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
  isLeafType,
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

/** Static (pre-execution) cost of the selected operation. The document is assumed to be valid. */
export function requestedQueryCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | undefined,
  variables: Record<string, unknown>,
): number {
  const { ctx, rootType, operation } = prepare(schema, document, operationName, variables);
  return staticSelectionCost(ctx, rootType, [operation.selectionSet]);
}

/** Post-execution cost: the same rules, walked alongside the execution result's `data`. */
export function actualQueryCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | undefined,
  variables: Record<string, unknown>,
  data: unknown,
): number {
  const { ctx, rootType, operation } = prepare(schema, document, operationName, variables);
  if (!isRecord(data)) return 0;
  return actualSelectionCost(ctx, rootType, [operation.selectionSet], data);
}

// ---------------------------------------------------------------------------------------------------
// Set-up

interface CostContext {
  readonly schema: GraphQLSchema;
  readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  readonly variables: Readonly<Record<string, unknown>>;
  readonly queryType: GraphQLObjectType | null | undefined;
  readonly mutationType: GraphQLObjectType | null | undefined;
}

/** Fields of one selection, grouped by response key (alias or name), in document order. */
type CollectedFields = Map<string, FieldNode[]>;

function prepare(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | undefined,
  variables: Record<string, unknown>,
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
    variables: coerceVariables(schema, operation, variables),
    queryType: schema.getQueryType(),
    mutationType: schema.getMutationType(),
  };
  return { ctx, rootType, operation };
}

function findOperation(document: DocumentNode, operationName: string | undefined): OperationDefinitionNode {
  const operations = document.definitions.filter(
    (def): def is OperationDefinitionNode => def.kind === Kind.OPERATION_DEFINITION,
  );
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
function coerceVariables(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  inputs: Record<string, unknown>,
): Record<string, unknown> {
  const result = getVariableValues(schema, operation.variableDefinitions ?? [], inputs ?? {});
  return result.coerced ?? { ...inputs };
}

// ---------------------------------------------------------------------------------------------------
// Field collection (merging by response key, fragments, @skip/@include)

function collectFields(
  ctx: CostContext,
  type: GraphQLObjectType,
  selectionSets: readonly SelectionSetNode[],
): CollectedFields {
  const out: CollectedFields = new Map();
  const visitedFragments = new Set<string>();
  for (const selectionSet of selectionSets) collectInto(ctx, type, selectionSet, out, visitedFragments);
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

function fragmentApplies(
  ctx: CostContext,
  fragment: InlineFragmentNode | FragmentDefinitionNode,
  type: GraphQLObjectType,
): boolean {
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
  | { kind: 'nodesByIds'; itemType: GraphQLCompositeType }
  | { kind: 'connection'; type: GraphQLObjectType }
  | { kind: 'list'; itemType: GraphQLCompositeType }
  | { kind: 'composite'; type: GraphQLCompositeType };

function classifyField(
  ctx: CostContext,
  parentType: GraphQLObjectType,
  fieldName: string,
): { fieldKind: FieldKind; def: GraphQLField<unknown, unknown> | undefined } {
  if (fieldName.startsWith('__')) return { fieldKind: { kind: 'free' }, def: undefined };
  if (parentType === ctx.mutationType) return { fieldKind: { kind: 'mutation' }, def: undefined };
  const def = parentType.getFields()[fieldName];
  if (!def) return { fieldKind: { kind: 'free' }, def };
  const named: GraphQLNamedType = getNamedType(def.type);
  if (isLeafType(named) || !isCompositeType(named)) return { fieldKind: { kind: 'free' }, def };
  if (parentType === ctx.queryType && fieldName === 'nodes' && def.args.some((arg) => arg.name === 'ids')) {
    return { fieldKind: { kind: 'nodesByIds', itemType: named }, def };
  }
  if (isConnectionType(named)) return { fieldKind: { kind: 'connection', type: named }, def };
  if (isListOutput(def)) return { fieldKind: { kind: 'list', itemType: named }, def };
  return { fieldKind: { kind: 'composite', type: named }, def };
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
  const out: SelectionSetNode[] = [];
  for (const node of nodes) if (node.selectionSet) out.push(node.selectionSet);
  return out;
}

function argumentsOf(ctx: CostContext, def: GraphQLField<unknown, unknown>, node: FieldNode): Record<string, unknown> {
  try {
    return getArgumentValues(def, node, ctx.variables);
  } catch {
    return {};
  }
}

/** [sandbox rule] 1: N = first or last (max if both), 0 if neither, never negative. */
function pageSize(ctx: CostContext, def: GraphQLField<unknown, unknown> | undefined, node: FieldNode): number {
  if (!def) return 0;
  const args = argumentsOf(ctx, def, node);
  let size = 0;
  for (const name of ['first', 'last']) {
    const value = args[name];
    if (typeof value === 'number' && Number.isFinite(value)) size = Math.max(size, Math.floor(value));
  }
  return size;
}

function idsCount(ctx: CostContext, def: GraphQLField<unknown, unknown> | undefined, node: FieldNode): number {
  if (!def) return 0;
  const ids = argumentsOf(ctx, def, node)['ids'];
  if (Array.isArray(ids)) return ids.length;
  return ids === undefined || ids === null ? 0 : 1;
}

// ---------------------------------------------------------------------------------------------------
// Requested (static) cost

function staticSelectionCost(
  ctx: CostContext,
  type: GraphQLObjectType,
  selectionSets: readonly SelectionSetNode[],
): number {
  let total = 0;
  for (const nodes of collectFields(ctx, type, selectionSets).values()) total += staticFieldCost(ctx, type, nodes);
  return total;
}

function staticFieldCost(ctx: CostContext, parentType: GraphQLObjectType, nodes: readonly FieldNode[]): number {
  const first = nodes[0];
  if (!first) return 0;
  const { fieldKind, def } = classifyField(ctx, parentType, first.name.value);
  const subs = subSelections(nodes);
  switch (fieldKind.kind) {
    case 'free':
      return 0;
    case 'mutation':
      return MUTATION_FIELD_COST;
    case 'nodesByIds':
      return idsCount(ctx, def, first) * staticCompositeCost(ctx, fieldKind.itemType, subs);
    case 'connection':
      return staticConnectionCost(ctx, fieldKind.type, subs, pageSize(ctx, def, first));
    case 'list':
      return staticCompositeCost(ctx, fieldKind.itemType, subs);
    case 'composite':
      return staticCompositeCost(ctx, fieldKind.type, subs);
  }
}

/** Object: 1 + selections. Interface / union: max over possible types of (1 + selections applying to it). */
function staticCompositeCost(
  ctx: CostContext,
  type: GraphQLCompositeType,
  selectionSets: readonly SelectionSetNode[],
): number {
  let best = 0;
  for (const objectType of possibleObjectTypes(ctx, type)) {
    best = Math.max(best, staticSelectionCost(ctx, objectType, selectionSets));
  }
  return 1 + best;
}

function staticConnectionCost(
  ctx: CostContext,
  connectionType: GraphQLObjectType,
  selectionSets: readonly SelectionSetNode[],
  size: number,
): number {
  let perNode = 0;
  let extra = 0;
  for (const nodes of collectFields(ctx, connectionType, selectionSets).values()) {
    const first = nodes[0];
    if (!first) continue;
    const name = first.name.value;
    const def = connectionType.getFields()[name];
    if (!def || name.startsWith('__') || name === 'pageInfo') continue;
    const itemType = getNamedType(def.type);
    if (name === 'nodes' && isCompositeType(itemType)) {
      perNode = Math.max(perNode, staticCompositeCost(ctx, itemType, subSelections(nodes)));
    } else if (name === 'edges' && isObjectType(itemType)) {
      perNode = Math.max(perNode, staticEdgeCost(ctx, itemType, subSelections(nodes)));
    } else {
      extra += staticFieldCost(ctx, connectionType, nodes);
    }
  }
  return CONNECTION_BASE_COST + size * perNode + extra;
}

function staticEdgeCost(ctx: CostContext, edgeType: GraphQLObjectType, selectionSets: readonly SelectionSetNode[]): number {
  let node = 0;
  let extra = 0;
  for (const nodes of collectFields(ctx, edgeType, selectionSets).values()) {
    const first = nodes[0];
    if (!first) continue;
    const name = first.name.value;
    const def = edgeType.getFields()[name];
    if (!def) continue;
    const itemType = getNamedType(def.type);
    if (name === 'node' && isCompositeType(itemType)) {
      node = Math.max(node, staticCompositeCost(ctx, itemType, subSelections(nodes)));
    } else if (name !== 'cursor') {
      extra += staticFieldCost(ctx, edgeType, nodes);
    }
  }
  return node + extra;
}

// ---------------------------------------------------------------------------------------------------
// Actual cost (walks the result data)

function actualSelectionCost(
  ctx: CostContext,
  type: GraphQLObjectType,
  selectionSets: readonly SelectionSetNode[],
  value: Record<string, unknown>,
): number {
  let total = 0;
  for (const [key, nodes] of collectFields(ctx, type, selectionSets)) {
    total += actualFieldCost(ctx, type, nodes, value, key);
  }
  return total;
}

function actualFieldCost(
  ctx: CostContext,
  parentType: GraphQLObjectType,
  nodes: readonly FieldNode[],
  parentValue: Record<string, unknown>,
  key: string,
): number {
  const first = nodes[0];
  if (!first) return 0;
  const { fieldKind } = classifyField(ctx, parentType, first.name.value);
  if (fieldKind.kind === 'free') return 0;
  if (fieldKind.kind === 'mutation') return Object.hasOwn(parentValue, key) ? MUTATION_FIELD_COST : 0;
  const value = parentValue[key];
  if (value === null || value === undefined) return 0;
  const subs = subSelections(nodes);
  switch (fieldKind.kind) {
    case 'nodesByIds': {
      let total = 0;
      for (const item of flatten(value)) total += actualCompositeCost(ctx, fieldKind.itemType, subs, item);
      return total;
    }
    case 'connection':
      return isRecord(value) ? actualConnectionCost(ctx, fieldKind.type, subs, value) : 0;
    case 'list': {
      let best = 0;
      for (const item of flatten(value)) best = Math.max(best, actualInnerCost(ctx, fieldKind.itemType, subs, item));
      return 1 + best;
    }
    case 'composite':
      return actualCompositeCost(ctx, fieldKind.type, subs, value);
  }
}

/** 0 for a null value; else 1 + the selection cost for the value's runtime type. */
function actualCompositeCost(
  ctx: CostContext,
  type: GraphQLCompositeType,
  selectionSets: readonly SelectionSetNode[],
  value: unknown,
): number {
  if (!isRecord(value)) return 0;
  return 1 + actualInnerCost(ctx, type, selectionSets, value);
}

function actualInnerCost(
  ctx: CostContext,
  type: GraphQLCompositeType,
  selectionSets: readonly SelectionSetNode[],
  value: unknown,
): number {
  if (!isRecord(value)) return 0;
  let best = 0;
  for (const objectType of runtimeTypes(ctx, type, selectionSets, value)) {
    best = Math.max(best, actualSelectionCost(ctx, objectType, selectionSets, value));
  }
  return best;
}

function actualConnectionCost(
  ctx: CostContext,
  connectionType: GraphQLObjectType,
  selectionSets: readonly SelectionSetNode[],
  value: Record<string, unknown>,
): number {
  const perNode: number[] = [];
  const charge = (index: number, cost: number): void => {
    perNode[index] = Math.max(perNode[index] ?? 0, cost);
  };
  let extra = 0;
  for (const [key, nodes] of collectFields(ctx, connectionType, selectionSets)) {
    const first = nodes[0];
    if (!first) continue;
    const name = first.name.value;
    const def = connectionType.getFields()[name];
    if (!def || name.startsWith('__') || name === 'pageInfo') continue;
    const itemType = getNamedType(def.type);
    const list = value[key];
    if (name === 'nodes' && isCompositeType(itemType)) {
      if (!Array.isArray(list)) continue;
      list.forEach((item, index) => charge(index, actualCompositeCost(ctx, itemType, subSelections(nodes), item)));
    } else if (name === 'edges' && isObjectType(itemType)) {
      if (!Array.isArray(list)) continue;
      list.forEach((edge, index) => {
        if (isRecord(edge)) charge(index, actualEdgeCost(ctx, itemType, subSelections(nodes), edge));
      });
    } else {
      extra += actualFieldCost(ctx, connectionType, nodes, value, key);
    }
  }
  let total = CONNECTION_BASE_COST + extra;
  for (const cost of perNode) total += cost ?? 0;
  return total;
}

function actualEdgeCost(
  ctx: CostContext,
  edgeType: GraphQLObjectType,
  selectionSets: readonly SelectionSetNode[],
  edge: Record<string, unknown>,
): number {
  let node = 0;
  let extra = 0;
  for (const [key, nodes] of collectFields(ctx, edgeType, selectionSets)) {
    const first = nodes[0];
    if (!first) continue;
    const name = first.name.value;
    const def = edgeType.getFields()[name];
    if (!def) continue;
    const itemType = getNamedType(def.type);
    if (name === 'node' && isCompositeType(itemType)) {
      node = Math.max(node, actualCompositeCost(ctx, itemType, subSelections(nodes), edge[key]));
    } else if (name !== 'cursor') {
      extra += actualFieldCost(ctx, edgeType, nodes, edge, key);
    }
  }
  return node + extra;
}

const GID_PATTERN = /^gid:\/\/shopify\/([A-Za-z0-9_]+)\//;

/**
 * The object type(s) a result value may have: the type itself for an object type; for an interface /
 * union, the type named by a selected `__typename`, else by a selected `id` holding a Shopify GID, else all
 * possible types (the caller takes the max).
 */
function runtimeTypes(
  ctx: CostContext,
  type: GraphQLCompositeType,
  selectionSets: readonly SelectionSetNode[],
  value: Record<string, unknown>,
): readonly GraphQLObjectType[] {
  if (isObjectType(type)) return [type];
  const possible = ctx.schema.getPossibleTypes(type);
  const byName = (name: unknown): GraphQLObjectType | undefined =>
    typeof name === 'string' ? possible.find((candidate) => candidate.name === name) : undefined;

  const idKeys = new Set<string>();
  for (const candidate of possible) {
    for (const [key, nodes] of collectFields(ctx, candidate, selectionSets)) {
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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function flatten(value: unknown): unknown[] {
  if (!Array.isArray(value)) return [value];
  const out: unknown[] = [];
  for (const item of value) out.push(...flatten(item));
  return out;
}
