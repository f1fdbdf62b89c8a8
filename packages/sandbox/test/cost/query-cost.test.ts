import { beforeAll, describe, expect, it } from 'vitest';
import { buildSchema, graphql, parse, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import { sdl } from '../../src/schema/generated/admin-2026-10.js';
import { SINGLE_QUERY_MAX_COST, actualQueryCost, maxCostExceededError, requestedQueryCost } from '../../src/cost/index.js';

let schema: GraphQLSchema;
beforeAll(() => {
  schema = buildSchema(sdl);
});

/** Parses and validates (the calculator assumes a valid document). */
function doc(query: string): DocumentNode {
  const document = parse(query);
  expect(validate(schema, document).map((e) => e.message)).toEqual([]);
  return document;
}

function requested(query: string, variables: Record<string, unknown> = {}, operationName?: string): number {
  return requestedQueryCost(schema, doc(query), operationName, variables);
}

function actual(query: string, data: unknown, variables: Record<string, unknown> = {}, operationName?: string): number {
  return actualQueryCost(schema, doc(query), operationName, variables, data);
}

/** Executes `query` against the sandbox SDL with `rootValue` (default resolvers) and returns its data. */
async function execute(query: string, rootValue: unknown, variables: Record<string, unknown> = {}): Promise<unknown> {
  const result = await graphql({ schema, source: query, rootValue, variableValues: variables });
  expect(result.errors).toBeUndefined();
  return result.data;
}

const gid = (type: string, id: number): string => `gid://shopify/${type}/${id}`;

describe('requestedQueryCost: scalars, enums and objects', () => {
  it('charges 1 for an object and 0 for its scalar / enum fields', () => {
    // shop (object) 1; name, email, currencyCode (scalar/enum) 0
    expect(requested('{ shop { name email currencyCode } }')).toBe(1);
  });

  it('adds nested objects', () => {
    // shop 1 + plan 1
    expect(requested('{ shop { name plan { shopifyPlus } } }')).toBe(2);
    // order 1 + customer 1 + currentTotalPriceSet 1 + shopMoney 1
    expect(requested('{ order(id: "x") { name customer { id } currentTotalPriceSet { shopMoney { amount currencyCode } } } }')).toBe(4);
  });

  it('sums sibling root fields', () => {
    // shop 1 + currentAppInstallation 1 + accessScopes (plain list) 1
    expect(requested('{ shop { id } currentAppInstallation { id accessScopes { handle } } }')).toBe(3);
  });

  it('merges fields with the same response key and charges each alias', () => {
    // both `plan` selections merge into one field: shop 1 + plan 1
    expect(requested('{ shop { plan { shopifyPlus } plan { publicDisplayName } } }')).toBe(2);
    // two aliases are two fields: shop 1 + a 1 + b 1
    expect(requested('{ shop { a: plan { shopifyPlus } b: plan { publicDisplayName } } }')).toBe(3);
  });

  it('charges __typename and introspection fields nothing', () => {
    // only shop: 1
    expect(requested('{ __typename shop { __typename } __schema { types { name fields { name } } } }')).toBe(1);
    expect(requested('{ __type(name: "Order") { name } }')).toBe(0);
  });
});

describe('requestedQueryCost: connections', () => {
  it('prices the documented nested example', () => {
    // fulfillmentOrders node: FO 1 + supportedActions (plain list) 1 = 2 → 2 + 5 × 2 = 12
    // orders node: Order 1 + 12 = 13 → orders: 2 + 50 × 13 = 652
    const query = `{
      orders(first: 50) { nodes { id fulfillmentOrders(first: 5) { nodes { id supportedActions { action } } } } }
    }`;
    expect(requested(query)).toBe(652);
  });

  it('adds nothing for edges, cursor and pageInfo wrappers', () => {
    // node Order 1 → 2 + 50 × 1 = 52
    expect(requested('{ orders(first: 50) { edges { cursor node { id name } } pageInfo { hasNextPage endCursor } } }')).toBe(52);
    // same through `nodes`
    expect(requested('{ orders(first: 50) { nodes { id name } pageInfo { hasNextPage } } }')).toBe(52);
  });

  it('takes the max of edges { node } and nodes, not the sum', () => {
    // edges.node: Order 1 + customer 1 = 2; nodes: Order 1 → per node max(2, 1) = 2 → 2 + 10 × 2 = 22
    expect(requested('{ orders(first: 10) { edges { node { id customer { id } } } nodes { id } } }')).toBe(22);
    // the other way round: nodes Order 1 + customer 1 + totalPriceSet 1 + shopMoney 1 = 4, edges 1 → 2 + 10 × 4 = 42
    expect(requested('{ orders(first: 10) { edges { node { id } } nodes { customer { id } totalPriceSet { shopMoney { amount } } } } }')).toBe(
      2 + 10 * 4,
    );
  });

  it('uses last when first is absent, and N = 0 when neither is given', () => {
    // 2 + 7 × 1
    expect(requested('{ orders(last: 7) { nodes { id } } }')).toBe(9);
    // 2 + 0 × 1
    expect(requested('{ orders { nodes { id } } }')).toBe(2);
  });

  it('uses the larger of first and last when both are given, and never a negative size', () => {
    // sandbox rule: 2 + max(3, 8) × 1
    expect(requested('{ orders(first: 3, last: 8) { nodes { id } } }')).toBe(10);
    // 2 + 0 × 1
    expect(requested('{ orders(first: -5) { nodes { id } } }')).toBe(2);
  });

  it('charges 2 for a connection that selects no node', () => {
    expect(requested('{ orders(first: 100) { pageInfo { hasNextPage } } }')).toBe(2);
    expect(requested('{ orders(first: 100) { edges { cursor } } }')).toBe(2);
  });

  it('resolves first/last from variables and variable defaults', () => {
    const query = 'query Page($n: Int = 3) { orders(first: $n) { nodes { id } } }';
    // 2 + 20 × 1
    expect(requested(query, { n: 20 })).toBe(22);
    // default 3 → 2 + 3 × 1
    expect(requested(query, {})).toBe(5);
    // explicit null → no page size → 2
    expect(requested(query, { n: null })).toBe(2);
  });

  it('multiplies nested connections', () => {
    // lineItems node 1 → 2 + 10 × 1 = 12; FO node 1 + 12 = 13 → FOs 2 + 10 × 13 = 132;
    // Order node 1 + 132 = 133 → orders 2 + 250 × 133 = 33252
    const query = `{ orders(first: 250) { nodes { id fulfillmentOrders(first: 10) {
      nodes { id lineItems(first: 10) { nodes { id sku } } } } } } }`;
    expect(requested(query)).toBe(33252);
    expect(requested(query)).toBeGreaterThan(SINGLE_QUERY_MAX_COST);
  });

  it('charges aliased connections separately', () => {
    // open: 2 + 5 × 1 = 7; closed: 2 + 3 × 2 = 8
    expect(
      requested(`{
        open: orders(first: 5, query: "status:open") { nodes { id } }
        closed: orders(first: 3, query: "status:closed") { nodes { id customer { id } } }
      }`),
    ).toBe(15);
  });
});

describe('requestedQueryCost: fragments and directives', () => {
  it('supports named fragments (also nested ones)', () => {
    // Order node: 1 + customer 1 = 2 → 2 + 10 × 2 = 22
    const query = `
      query { orders(first: 10) { nodes { ...OrderFields } } }
      fragment OrderFields on Order { id name ...Buyer }
      fragment Buyer on Order { customer { displayName } }
    `;
    expect(requested(query)).toBe(22);
  });

  it('supports inline fragments, with and without a type condition', () => {
    // same as above: 22
    expect(requested('{ orders(first: 10) { nodes { id ... on Order { customer { id } } } } }')).toBe(22);
    expect(requested('{ orders(first: 10) { nodes { id ... { customer { id } } } } }')).toBe(22);
  });

  it('applies fragments on interfaces the object implements', () => {
    // order 1 + customer 1; the Node / LegacyInteroperability fragments only add scalars
    expect(
      requested(`{ order(id: "x") {
        ... on Node { id }
        ... on LegacyInteroperability { legacyResourceId }
        ... on Order { customer { id } }
      } }`),
    ).toBe(2);
  });

  it('respects @include / @skip with variables', () => {
    const query = `query ($withCustomer: Boolean!) {
      orders(first: 10) { nodes { id customer @include(if: $withCustomer) { id } } }
    }`;
    // 2 + 10 × (1 + 1)
    expect(requested(query, { withCustomer: true })).toBe(22);
    // 2 + 10 × 1
    expect(requested(query, { withCustomer: false })).toBe(12);
  });

  it('respects literal @skip / @include on fields, inline fragments and spreads', () => {
    expect(requested('{ shop { id } orders(first: 10) @skip(if: true) { nodes { id } } }')).toBe(1);
    expect(requested('{ shop { id } orders(first: 10) @include(if: false) { nodes { id } } }')).toBe(1);
    // inline fragment skipped: order 1
    expect(requested('{ order(id: "x") { id ... on Order @skip(if: true) { customer { id } } } }')).toBe(1);
    // spread skipped via variable: order 1; included: order 1 + customer 1
    const spread = `query ($skip: Boolean!) { order(id: "x") { id ...C @skip(if: $skip) } }
      fragment C on Order { customer { id } }`;
    expect(requested(spread, { skip: true })).toBe(1);
    expect(requested(spread, { skip: false })).toBe(2);
  });
});

describe('requestedQueryCost: interfaces, node and nodes', () => {
  it('takes the max over possible types for fragments on different types', () => {
    // as Order: customer 1 + fulfillmentOrders (2 + 2 × 1) = 5
    // as FulfillmentOrder: order 1 + assignedLocation 1 + location 1 = 3
    // node(id:) = 1 + max(5, 3) = 6   (the sum would be 1 + 8 = 9)
    const query = `{ node(id: "gid://shopify/Order/1") {
      id
      ... on Order { customer { id } fulfillmentOrders(first: 2) { nodes { id } } }
      ... on FulfillmentOrder { order { id } assignedLocation { location { id } } }
    } }`;
    expect(requested(query)).toBe(6);
  });

  it('prices node(id:) like an object', () => {
    expect(requested('{ node(id: "gid://shopify/Order/1") { id } }')).toBe(1);
  });

  it('multiplies nodes(ids:) by the number of ids', () => {
    // per id: 1 + max(Order: customer 1, others 0) = 2 → 3 × 2 = 6
    expect(requested('{ nodes(ids: ["a", "b", "c"]) { id ... on Order { customer { id } } } }')).toBe(6);
    const query = 'query ($ids: [ID!]!) { nodes(ids: $ids) { id ... on Order { customer { id } } } }';
    expect(requested(query, { ids: ['1', '2', '3', '4'] })).toBe(8);
    expect(requested(query, { ids: [] })).toBe(0);
  });
});

describe('requestedQueryCost: plain lists and mutations', () => {
  it('charges a plain list of objects once, not per element', () => {
    // fulfillmentOrder 1 + supportedActions 1 + fulfillmentHolds 1
    expect(requested('{ fulfillmentOrder(id: "x") { supportedActions { action externalUrl } fulfillmentHolds { id reason } } }')).toBe(3);
  });

  it('charges 10 per mutation field regardless of the payload selection', () => {
    expect(
      requested(`mutation { fulfillmentOrderOpen(id: "x") {
        fulfillmentOrder { id order { id fulfillmentOrders(first: 50) { nodes { id } } } }
        userErrors { field message }
      } }`),
    ).toBe(10);
    expect(requested('mutation { fulfillmentOrderOpen(id: "x") { userErrors { message } } }')).toBe(10);
  });

  it('charges each aliased mutation field, and nothing for __typename', () => {
    expect(
      requested(`mutation {
        __typename
        a: fulfillmentOrderOpen(id: "1") { userErrors { message } }
        b: fulfillmentOrderOpen(id: "2") { userErrors { message } }
        c: orderCancel(orderId: "3", reason: CUSTOMER, restock: false) { job { id } orderCancelUserErrors { code } }
      }`),
    ).toBe(30);
  });

  it('honours @skip on a mutation field', () => {
    expect(
      requested(
        `mutation ($two: Boolean!) {
          a: fulfillmentOrderOpen(id: "1") { userErrors { message } }
          b: fulfillmentOrderOpen(id: "2") @include(if: $two) { userErrors { message } }
        }`,
        { two: false },
      ),
    ).toBe(10);
  });
});

describe('operation selection', () => {
  const doc = `
    query Small { shop { id } }
    query Big { orders(first: 10) { nodes { id } } }
    mutation Open { fulfillmentOrderOpen(id: "x") { userErrors { message } } }
  `;

  it('prices the named operation', () => {
    expect(requested(doc, {}, 'Small')).toBe(1);
    expect(requested(doc, {}, 'Big')).toBe(12);
    expect(requested(doc, {}, 'Open')).toBe(10);
  });

  it('throws for an unknown or missing operation name', () => {
    expect(() => requested(doc, {}, 'Nope')).toThrow(/Unknown operation/);
    expect(() => requested(doc, {})).toThrow(/operation name/);
  });
});

describe('actualQueryCost', () => {
  const documented = `{
    orders(first: 50) { nodes { id fulfillmentOrders(first: 5) { nodes { id supportedActions { action } } } } }
  }`;

  it('charges connections for the nodes actually returned (executed result)', async () => {
    const fo = (id: number) => ({ id: gid('FulfillmentOrder', id), supportedActions: [{ action: 'CREATE_FULFILLMENT' }] });
    const data = await execute(documented, {
      orders: {
        nodes: [
          { id: gid('Order', 1), fulfillmentOrders: { nodes: [fo(1), fo(2)] } },
          { id: gid('Order', 2), fulfillmentOrders: { nodes: [] } },
          { id: gid('Order', 3), fulfillmentOrders: { nodes: [fo(3)] } },
        ],
      },
    });
    // FO node: 1 + supportedActions 1 = 2
    // order 1: 1 + (2 + 2 × 2) = 7; order 2: 1 + (2 + 0) = 3; order 3: 1 + (2 + 2) = 5
    // orders: 2 + 7 + 3 + 5 = 17
    expect(actual(documented, data)).toBe(17);
    expect(actual(documented, data)).toBeLessThan(requested(documented));
  });

  it('equals the requested cost when every page is full', async () => {
    const query = '{ orders(first: 2) { edges { cursor node { id fulfillmentOrders(first: 1) { nodes { id } } } } } }';
    const node = (id: number) => ({ id: gid('Order', id), fulfillmentOrders: { nodes: [{ id: gid('FulfillmentOrder', id) }] } });
    const data = await execute(query, {
      orders: {
        edges: [
          { cursor: 'a', node: node(1) },
          { cursor: 'b', node: node(2) },
        ],
      },
    });
    // per order: 1 + (2 + 1 × 1) = 4 → 2 + 2 × 4 = 10
    expect(requested(query)).toBe(10);
    expect(actual(query, data)).toBe(10);
  });

  it('charges 2 for an empty connection', () => {
    expect(
      actual('{ orders(first: 50) { nodes { id customer { id } } pageInfo { hasNextPage } } }', {
        orders: { nodes: [], pageInfo: { hasNextPage: false } },
      }),
    ).toBe(2);
  });

  it('takes the max of edges and nodes per returned node', () => {
    const query = '{ orders(first: 10) { edges { node { id customer { id } } } nodes { id } } }';
    const data = {
      orders: {
        edges: [{ node: { id: gid('Order', 1), customer: { id: gid('Customer', 1) } } }, { node: { id: gid('Order', 2), customer: null } }],
        nodes: [{ id: gid('Order', 1) }, { id: gid('Order', 2) }],
      },
    };
    // node 1: max(1 + 1, 1) = 2; node 2: max(1 + 0, 1) = 1 → 2 + 2 + 1 = 5
    expect(actual(query, data)).toBe(5);
  });

  it('charges nothing below a null path', () => {
    const query = '{ order(id: "x") { id customer { id } fulfillmentOrders(first: 5) { nodes { id } } } }';
    expect(actual(query, { order: null })).toBe(0);
    // order 1 + customer 0 (null) + fulfillmentOrders 2 + 1
    expect(actual(query, { order: { id: 'o', customer: null, fulfillmentOrders: { nodes: [{ id: 'f' }] } } })).toBe(4);
    expect(actual(query, null)).toBe(0);
    expect(actual(query, undefined)).toBe(0);
  });

  it('charges nodes(ids:) for non-null results only, by runtime type', async () => {
    const query = `query ($ids: [ID!]!) { nodes(ids: $ids) {
      id
      ... on Order { customer { id } }
      ... on FulfillmentOrder { order { id } assignedLocation { location { id } } }
    } }`;
    const ids = [gid('Order', 1), gid('FulfillmentOrder', 2), gid('Order', 404)];
    // requested: 3 × (1 + max(Order 1, FulfillmentOrder 3)) = 12
    expect(requested(query, { ids })).toBe(12);
    const data = await execute(
      query,
      {
        nodes: [
          { __typename: 'Order', id: ids[0], customer: { id: gid('Customer', 1) } },
          { __typename: 'FulfillmentOrder', id: ids[1], order: { id: ids[0] }, assignedLocation: { location: null } },
          null,
        ],
      },
      { ids },
    );
    // Order (from its GID): 1 + customer 1 = 2; FulfillmentOrder: 1 + order 1 + assignedLocation 1 + location 0 = 3; null 0
    expect(actual(query, data, { ids })).toBe(5);
  });

  it('uses a selected __typename to find the runtime type', () => {
    const query =
      '{ node(id: "x") { t: __typename ... on Order { customer { id } } ... on FulfillmentOrder { order { id } assignedLocation { name } } } }';
    // requested: 1 + max(1, 2) = 3
    expect(requested(query)).toBe(3);
    expect(actual(query, { node: { t: 'Order', customer: { id: 'c' } } })).toBe(2);
    expect(actual(query, { node: { t: 'FulfillmentOrder', order: { id: 'o' }, assignedLocation: { name: 'x' } } })).toBe(3);
  });

  it('charges a plain list once, 1 when empty', () => {
    const query = '{ fulfillmentOrder(id: "x") { supportedActions { action } fulfillmentHolds { id } } }';
    const data = {
      fulfillmentOrder: { supportedActions: [{ action: 'A' }, { action: 'B' }, { action: 'C' }], fulfillmentHolds: [] },
    };
    // fulfillmentOrder 1 + supportedActions 1 + fulfillmentHolds 1
    expect(actual(query, data)).toBe(3);
  });

  it('charges 10 per executed mutation field, even when its payload is null', async () => {
    const query = `mutation {
      a: fulfillmentOrderOpen(id: "1") { fulfillmentOrder { id order { id } } userErrors { field message } }
      b: fulfillmentOrderOpen(id: "2") { fulfillmentOrder { id } userErrors { field message } }
    }`;
    const data = await execute(query, {
      fulfillmentOrderOpen: ({ id }: { id: string }) =>
        id === '1' ? { fulfillmentOrder: { id: gid('FulfillmentOrder', 1), order: { id: gid('Order', 1) } }, userErrors: [] } : null,
    });
    expect(actual(query, data)).toBe(20);
    expect(actual(query, data)).toBe(requested(query));
  });

  it('follows aliases, fragments and directives through the data', () => {
    const query = `query ($c: Boolean!) {
      recent: orders(first: 10) { nodes { ...O } }
    }
    fragment O on Order { id buyer: customer @include(if: $c) { id } }`;
    const data = {
      recent: {
        nodes: [
          { id: '1', buyer: { id: 'c' } },
          { id: '2', buyer: null },
        ],
      },
    };
    // requested: 2 + 10 × 2 = 22; actual: 2 + (1 + 1) + (1 + 0) = 5
    expect(requested(query, { c: true })).toBe(22);
    expect(actual(query, data, { c: true })).toBe(5);
    // with the customer excluded the key is ignored even if present: 2 + 1 + 1
    expect(actual(query, data, { c: false })).toBe(4);
  });

  it('never exceeds the requested cost on a random-ish partial result', () => {
    const query = `{ orders(first: 3) { edges { node { id
      fulfillmentOrders(first: 4) { nodes { id supportedActions { action } lineItems(first: 2) { nodes { id } } } }
    } } } }`;
    const fo = (items: number) => ({ id: 'f', supportedActions: [], lineItems: { nodes: Array.from({ length: items }, () => ({ id: 'l' })) } });
    const data = {
      orders: {
        edges: [{ node: { id: '1', fulfillmentOrders: { nodes: [fo(2), fo(0)] } } }, { node: { id: '2', fulfillmentOrders: { nodes: [] } } }],
      },
    };
    // FO with 2 items: 1 + 1 + (2 + 2) = 6; FO with 0: 1 + 1 + 2 = 4
    // order 1: 1 + (2 + 6 + 4) = 13; order 2: 1 + 2 = 3 → 2 + 13 + 3 = 18
    // requested: FO node 1 + 1 + (2 + 2 × 1) = 6 → FOs 2 + 4 × 6 = 26 → order 27 → 2 + 3 × 27 = 83
    expect(actual(query, data)).toBe(18);
    expect(requested(query)).toBe(83);
  });
});

describe('maxCostExceededError', () => {
  it("matches Shopify's error object exactly", () => {
    expect(SINGLE_QUERY_MAX_COST).toBe(1000);
    expect(maxCostExceededError(2003)).toEqual({
      message:
        'Query cost is 2003, which exceeds the single query max cost limit (1000).\n\nSee https://shopify.dev/concepts/about-apis/rate-limits for more information on how the\ncost of a query is calculated.\n\nTo query larger amounts of data with fewer limits, bulk operations should be used instead.\nSee https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api for usage details.\n',
      extensions: {
        code: 'MAX_COST_EXCEEDED',
        cost: 2003,
        maxCost: 1000,
        documentation: 'https://shopify.dev/api/usage/limits#rate-limits',
      },
    });
  });
});
