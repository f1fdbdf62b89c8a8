// One Admin GraphQL request, as Shopify answers it: parse and validate against the version's schema,
// price it (MAX_COST_EXCEEDED above 1000 points), take the requested cost from the caller's bucket
// (THROTTLED when it is short), run it, refund the difference between requested and actual cost, and
// put `extensions.cost` on the answer.
import { createHash } from 'node:crypto';
import {
  buildSchema,
  executeSync,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  parse,
  validate,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';
import { actualQueryCost, LeakyBucket, maxCostExceededError, requestedQueryCost, SINGLE_QUERY_MAX_COST, throttledError } from '../cost/index.js';
import { sdl as sdl202607 } from '../schema/generated/admin-2026-07.js';
import { sdl as sdl202610 } from '../schema/generated/admin-2026-10.js';
import { SearchSyntaxError } from '../search/parse.js';
import type { SandboxStore } from '../store/store.js';
import { mutationRoot, queryRoot } from './root.js';
import { depthErrors, MAX_QUERY_LENGTH, queryTooLongError, withinNesting } from './limits.js';
import type { Scopes } from './scopes.js';
import type { RequestContext } from './views.js';

const SDL_BY_VERSION: Record<string, string> = { '2026-07': sdl202607, '2026-10': sdl202610 };
export const SUPPORTED_VERSIONS = Object.keys(SDL_BY_VERSION);
const schemas = new Map<string, GraphQLSchema>();

/** The sandbox schema for an API version, or undefined when the version is not served. */
export function schemaFor(version: string): GraphQLSchema | undefined {
  const sdl = SDL_BY_VERSION[version];
  if (sdl === undefined) return undefined;
  let schema = schemas.get(version);
  if (!schema) {
    schema = buildSchema(sdl);
    schemas.set(version, schema);
  }
  return schema;
}

export interface GraphQLRequest {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

export interface AdminAnswer {
  status: number;
  body: unknown;
  /** What happened, for the sandbox's own tallies. */
  kind: 'ok' | 'bad-request' | 'invalid' | 'max-cost-exceeded' | 'throttled';
}

const errorJson = (error: GraphQLError) => error.toJSON();

export function answerAdminRequest(
  request: GraphQLRequest,
  env: { version: string; store: SandboxStore; scopes: Scopes; bucket: LeakyBucket; token?: string },
): AdminAnswer {
  const schema = schemaFor(env.version)!;
  if (typeof request.query !== 'string' || request.query.trim() === '') {
    return { status: 400, body: { errors: { query: 'Required parameter missing or invalid' } }, kind: 'bad-request' };
  }
  const variableInputs = isPlainObject(request.variables) ? request.variables : {};
  const operationName = typeof request.operationName === 'string' ? request.operationName : undefined;

  const checked = parseAndValidate(env.version, schema, request.query);
  if (!('document' in checked)) return invalid(checked.errors);
  const { document } = checked;
  const operation = getOperationAST(document, operationName);
  if (!operation) return invalid([new GraphQLError('An operation name is required when the document has several operations.')]);
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variableInputs);
  if (coerced.errors) return invalid(coerced.errors);

  const requested = requestedQueryCost(schema, document, operationName, coerced.coerced, { coerced: true });
  if (requested > SINGLE_QUERY_MAX_COST) {
    return { status: 200, body: { errors: [maxCostExceededError(requested)] }, kind: 'max-cost-exceeded' };
  }
  if (!env.bucket.tryTake(requested)) {
    return {
      status: 200,
      body: {
        errors: [throttledError()],
        extensions: { cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: env.bucket.statusAsDecided() } },
      },
      kind: 'throttled',
    };
  }

  env.store.advance();
  const context: RequestContext = {
    store: env.store,
    scopes: env.scopes,
    version: env.version,
    schema,
    owner: ownerOf(env.token ?? ''),
    searchWarnings: [],
  };
  const result = executeSync({
    schema,
    document,
    operationName,
    variableValues: variableInputs,
    rootValue: operation.operation === 'mutation' ? mutationRoot : queryRoot,
    contextValue: context,
  });
  const actual = actualQueryCost(schema, document, operationName, coerced.coerced, result.data, { coerced: true });
  env.bucket.refund(requested - actual);
  const body: Record<string, unknown> = {};
  if (result.errors?.length) body.errors = result.errors.map((error) => errorJson(withSearchErrorsAsBadRequest(error)));
  if (result.data) body.data = result.data;
  body.extensions = {
    cost: costExtension(requested, actual, env.bucket),
    ...(context.searchWarnings.length ? { search: context.searchWarnings } : {}),
  };
  return { status: 200, body, kind: 'ok' };
}

// Each token is hashed once, not on every request.
const owners = new Map<string, string>();
const MAX_OWNERS = 100;

/** A stable stand-in for a token in the store (bulk operations are per token): never the token itself. */
export function ownerOf(token: string): string {
  let owner = owners.get(token);
  if (owner === undefined) {
    owner = createHash('sha256').update(token).digest('hex').slice(0, 16);
    if (owners.size >= MAX_OWNERS) owners.clear();
    owners.set(token, owner);
  }
  return owner;
}

// Clients send the same few documents again and again; like Shopify, parse and validate each once.
const checkedDocuments = new Map<string, { document: DocumentNode } | { errors: readonly GraphQLError[] }>();
const MAX_CHECKED_DOCUMENTS = 500;

function parseAndValidate(version: string, schema: GraphQLSchema, query: string) {
  // Checked before the cache, so an over-long query takes no room in it.
  if (query.length > MAX_QUERY_LENGTH) return { errors: [queryTooLongError(query.length)] };
  const key = `${version}\n${query}`;
  let checked = checkedDocuments.get(key);
  if (!checked) {
    try {
      const document = parse(withinNesting(query), { maxTokens: 20_000 });
      const tooDeep = depthErrors(document);
      const errors = tooDeep.length ? tooDeep : validate(schema, document);
      checked = errors.length ? { errors } : { document };
    } catch (error) {
      checked = { errors: [error instanceof GraphQLError ? error : new GraphQLError(String(error))] };
    }
    if (checkedDocuments.size >= MAX_CHECKED_DOCUMENTS) checkedDocuments.delete(checkedDocuments.keys().next().value!);
    checkedDocuments.set(key, checked);
  }
  return checked;
}

function costExtension(requested: number, actual: number | null, bucket: LeakyBucket) {
  return { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: bucket.status() };
}

function invalid(errors: readonly GraphQLError[]): AdminAnswer {
  return { status: 200, body: { errors: errors.map(errorJson) }, kind: 'invalid' };
}

/** A malformed search query is the caller's mistake: say so plainly instead of as an internal error. */
function withSearchErrorsAsBadRequest(error: GraphQLError): GraphQLError {
  if (!(error.originalError instanceof SearchSyntaxError)) return error;
  return new GraphQLError(`Invalid search query: ${error.originalError.message}`, {
    path: error.path,
    extensions: { code: 'BAD_REQUEST' },
  });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
