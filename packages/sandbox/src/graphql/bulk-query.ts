// Bulk query operations (docs/shopify-behaviour.md#bulk-query-exports): checking the inner query against Shopify's rules and
// running it as an export. The export runs the query with the ordinary resolvers, with pagination
// switched off (first/last/after/before, pageInfo and the 25,000 cap do not apply), and flattens the
// answer into JSONL as Shopify does: one line per node, each node of a nested connection on its own
// line after its parent with `__parentId`, no `edges`/`node` wrappers.
import {
  executeSync,
  getNamedType,
  getOperationAST,
  GraphQLError,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  Kind,
  parse,
  validate,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import type { BulkOperationErrorCode } from '../store/model.js';
import type { RequestContext } from './views.js';
import { withinNesting } from './limits.js';

/** At most this many connections in one bulk query, nested at most this deep. */
export const MAX_BULK_CONNECTIONS = 5;
export const MAX_BULK_CONNECTION_DEPTH = 2;

export const BULK_QUERY_MESSAGES = {
  noConnection: 'Bulk queries must contain at least one connection.',
  topLevelNode: (field: string) => `Bulk queries cannot contain a top level \`${field}\` field.`,
  tooDeep: `Bulk queries cannot contain connections with a nesting depth greater than ${MAX_BULK_CONNECTION_DEPTH}.`,
  tooMany: `Bulk queries cannot contain more than ${MAX_BULK_CONNECTIONS} connections.`,
  notQuery: 'Bulk queries must be a single query operation.',
  variables: 'Bulk queries cannot use variables.',
};

const ID_KEY = '__bulkId';
const TYPE_KEY = '__bulkType';

export type BulkQueryCheck = { ok: true; document: DocumentNode } | { ok: false; message: string };

const isConnection = (type: GraphQLCompositeType) => isObjectType(type) && type.name.endsWith('Connection');

/** Parses and validates the inner query against the version's schema, then applies Shopify's bulk rules. */
export function checkBulkQuery(schema: GraphQLSchema, query: string): BulkQueryCheck {
  let document: DocumentNode;
  try {
    document = parse(withinNesting(query), { maxTokens: 20_000 });
  } catch (error) {
    return { ok: false, message: error instanceof GraphQLError ? error.message : String(error) };
  }
  const errors = validate(schema, document);
  if (errors.length) return { ok: false, message: errors[0]!.message };
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operations.length === 1 ? getOperationAST(document) : null;
  if (!operation || operation.operation !== 'query') return { ok: false, message: BULK_QUERY_MESSAGES.notQuery };
  if (operation.variableDefinitions?.length) return { ok: false, message: BULK_QUERY_MESSAGES.variables };

  const fragments = fragmentsOf(document);
  let connections = 0;
  let problem: string | null = null;
  const walk = (selectionSet: SelectionSetNode, parentType: GraphQLCompositeType, depth: number, top: boolean) => {
    for (const field of fieldsOf(selectionSet, fragments)) {
      if (problem) return;
      if (top && (field.name.value === 'node' || field.name.value === 'nodes')) {
        problem = BULK_QUERY_MESSAGES.topLevelNode(field.name.value);
        return;
      }
      if (!field.selectionSet || !(isObjectType(parentType) || isInterfaceType(parentType))) continue;
      const definition = parentType.getFields()[field.name.value];
      if (!definition) continue;
      const type = getNamedType(definition.type);
      if (!isCompositeType(type)) continue;
      let nextDepth = depth;
      if (isConnection(type)) {
        connections++;
        nextDepth++;
        if (nextDepth > MAX_BULK_CONNECTION_DEPTH) problem = BULK_QUERY_MESSAGES.tooDeep;
        else if (connections > MAX_BULK_CONNECTIONS) problem = BULK_QUERY_MESSAGES.tooMany;
      }
      walk(field.selectionSet, type, nextDepth, false);
    }
  };
  walk(operation.selectionSet, schema.getQueryType()!, 0, true);
  if (problem) return { ok: false, message: problem };
  if (connections === 0) return { ok: false, message: BULK_QUERY_MESSAGES.noConnection };
  return { ok: true, document };
}

function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  return fragments;
}

/** The fields of a selection set, through inline fragments and fragment spreads. */
function fieldsOf(selectionSet: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, seen = new Set<string>()): FieldNode[] {
  const fields: FieldNode[] = [];
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) fields.push(selection);
    else if (selection.kind === Kind.INLINE_FRAGMENT) fields.push(...fieldsOf(selection.selectionSet, fragments, seen));
    else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = fragments.get(selection.name.value);
      if (fragment) fields.push(...fieldsOf(fragment.selectionSet, fragments, seen));
    }
  }
  return fields;
}

export type BulkExport = { ok: true; objectCount: number; rootObjectCount: number; jsonl: string } | { ok: false; errorCode: BulkOperationErrorCode };

/**
 * Runs a checked bulk query against the store as it is now and flattens the answer into JSONL.
 * Fails with ACCESS_DENIED when the token lacks a scope the query needs, INTERNAL_SERVER_ERROR on any other error.
 */
export function runBulkExport(document: DocumentNode, rootValue: object, ctx: RequestContext): BulkExport {
  const result = executeSync({
    schema: ctx.schema,
    document: withBookkeepingFields(document),
    rootValue,
    contextValue: { ...ctx, searchWarnings: [], unpaged: true } satisfies RequestContext,
  });
  if (result.errors?.length) {
    const denied = result.errors.some((error) => error.extensions.code === 'ACCESS_DENIED');
    return { ok: false, errorCode: denied ? 'ACCESS_DENIED' : 'INTERNAL_SERVER_ERROR' };
  }
  const lines: string[] = [];
  let rootObjectCount = 0;

  const emitConnection = (connection: Record<string, unknown>, parentId: string | null) => {
    const edges = connection.edges as { node?: Record<string, unknown> }[] | undefined;
    const nodes = edges
      ? edges.flatMap((edge) => (edge.node ? [edge.node] : []))
      : ((connection.nodes as Record<string, unknown>[] | undefined) ?? []);
    for (const node of nodes) {
      const children: Record<string, unknown>[] = [];
      const line = strip(node, children) as Record<string, unknown>;
      if (parentId === null) rootObjectCount++;
      else line.__parentId = parentId;
      lines.push(JSON.stringify(line));
      const id = typeof node[ID_KEY] === 'string' ? (node[ID_KEY] as string) : parentId;
      for (const child of children) emitConnection(child, id);
    }
  };

  // Connections anywhere under the root (normally the root fields themselves) give the top-level lines.
  const rootChildren: Record<string, unknown>[] = [];
  strip(result.data ?? {}, rootChildren);
  for (const connection of rootChildren) emitConnection(connection, null);
  const jsonl = lines.map((line) => `${line}\n`).join('');
  return { ok: true, objectCount: lines.length, rootObjectCount, jsonl };
}

/** A copy of `value` without the bookkeeping fields and without connections, which go to `connections`. */
function strip(value: unknown, connections: Record<string, unknown>[]): unknown {
  if (Array.isArray(value)) return value.map((item) => strip(item, connections));
  if (typeof value !== 'object' || value === null) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (key === ID_KEY || key === TYPE_KEY) continue;
    if (isConnectionValue(item)) connections.push(item);
    else copy[key] = strip(item, connections);
  }
  return copy;
}

function isConnectionValue(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const type = (value as Record<string, unknown>)[TYPE_KEY];
  return typeof type === 'string' && type.endsWith('Connection');
}

/**
 * The query with `__bulkType: __typename` in every selection set and `__bulkId: id` wherever the type has
 * an `id`: what the flattening needs to find connections and to name each line's parent.
 */
function withBookkeepingFields(document: DocumentNode): DocumentNode {
  const typename: FieldNode = { kind: Kind.FIELD, alias: { kind: Kind.NAME, value: TYPE_KEY }, name: { kind: Kind.NAME, value: '__typename' } };
  const id: FieldNode = { kind: Kind.FIELD, alias: { kind: Kind.NAME, value: ID_KEY }, name: { kind: Kind.NAME, value: 'id' } };
  // Adding `id` where the type has none would fail, so it goes in as an inline fragment on Node, which
  // every type with a global id implements; on other types the fragment simply does not apply.
  const idOnNode = {
    kind: Kind.INLINE_FRAGMENT,
    typeCondition: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: 'Node' } },
    selectionSet: { kind: Kind.SELECTION_SET, selections: [id] },
  } as const;
  const rewrite = (selectionSet: SelectionSetNode, top: boolean): SelectionSetNode => ({
    ...selectionSet,
    selections: [
      ...selectionSet.selections.map((selection) => {
        if (selection.kind === Kind.FRAGMENT_SPREAD) return selection;
        return selection.selectionSet ? { ...selection, selectionSet: rewrite(selection.selectionSet, false) } : selection;
      }),
      ...(top ? [] : [typename, idOnNode]),
    ],
  });
  return {
    ...document,
    definitions: document.definitions.map((definition) => {
      if (definition.kind === Kind.OPERATION_DEFINITION) return { ...definition, selectionSet: rewrite(definition.selectionSet, true) };
      if (definition.kind === Kind.FRAGMENT_DEFINITION) return { ...definition, selectionSet: rewrite(definition.selectionSet, false) };
      return definition;
    }),
  };
}
