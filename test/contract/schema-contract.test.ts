// The real schema is the contract: every document bulkfill sends must validate against Shopify's
// published Admin schema for each API version it runs on, and the sandbox may only serve a subset of
// that schema, signature by signature.

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

import {
  astFromValue,
  buildSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
  Kind,
  OperationTypeNode,
  parse,
  print,
  validate,
  type GraphQLArgument,
  type GraphQLInputField,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';
import { afterAll, describe, expect, it } from 'vitest';

import { SUPPORTED_API_VERSIONS, isApiVersion, type ApiVersion } from '../../src/shopify/api-versions.js';
import { declaredVersions, gql } from '../../src/shopify/gql.js';
import { collectDocuments, type FoundDocument } from '../helpers/documents.js';
import { loadRealSchema, sandboxSchema } from '../helpers/real-schema.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const srcDir = fileURLToPath(new URL('../../src', import.meta.url));

function errorsAgainst(schema: GraphQLSchema, text: string): string[] {
  try {
    return validate(schema, parse(text)).map((error) => error.message);
  } catch (error) {
    return [`syntax: ${(error as Error).message}`];
  }
}

function operationName(text: string): string {
  try {
    const operation = parse(text).definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
    return operation?.kind === Kind.OPERATION_DEFINITION ? (operation.name?.value ?? '(anonymous)') : '(no operation)';
  } catch {
    return '(unparseable)';
  }
}

function versionsOf(document: FoundDocument): string[] {
  return document.versions ?? [...SUPPORTED_API_VERSIONS];
}

describe('documents sent to Shopify validate against the real Admin schema', () => {
  const documents = collectDocuments(srcDir);

  it('finds the documents in src/', () => {
    expect(documents.length).toBeGreaterThan(0);
  });

  for (const document of documents) {
    const where = `${relative(repoRoot, document.file)}:${document.line}`;
    const name = operationName(document.text);

    if (document.versions !== null) {
      it(`${where} ${name} declares only supported API versions`, () => {
        expect(document.versions).not.toEqual([]);
        expect(document.versions!.filter((version) => !isApiVersion(version))).toEqual([]);
      });
    }

    for (const version of versionsOf(document).filter(isApiVersion)) {
      it(`${where} ${name} @ ${version}`, () => {
        expect(errorsAgainst(loadRealSchema(version), document.text)).toEqual([]);
      });
      // The sandbox must serve everything the CLI sends, or rehearsals and tests would not mean much.
      it(`${where} ${name} @ ${version} is served by the sandbox`, () => {
        expect(errorsAgainst(sandboxSchema(version), document.text)).toEqual([]);
      });
    }
  }
});

describe('gql', () => {
  it('returns the document as written and refuses interpolation, by type and at runtime', () => {
    // Raw text: the GraphQL string escape `\n` reaches Shopify as written, not as a JS newline.
    expect(gql`query Q { node(id: "a\nb") { id } }`).toBe('query Q { node(id: "a\\nb") { id } }');
    const id = 'gid://shopify/Order/1';
    // @ts-expect-error values must be GraphQL variables, never interpolated
    expect(() => gql`query { order(id: "${id}") { id } }`).toThrow(TypeError);
  });

  it('reads the versions a document declares on its first line', () => {
    expect(declaredVersions('\n  # @versions 2026-10\n  query { shop { name } }')).toEqual(['2026-10']);
    expect(declaredVersions('# @versions 2026-07, 2026-10\nquery { x }')).toEqual(['2026-07', '2026-10']);
    expect(declaredVersions('query { x }\n# @versions 2026-10')).toBeNull();
  });
});

describe('the validation can fail', () => {
  const jobResultCancel = `mutation {
    orderCancel(orderId: "gid://shopify/Order/1", reason: OTHER, restock: false) { jobResult { id } }
  }`;

  it.each(SUPPORTED_API_VERSIONS)('rejects a field Shopify does not have @ %s', (version) => {
    const errors = errorsAgainst(loadRealSchema(version), 'query { shop { name notARealField } }');
    expect(errors.join('\n')).toMatch(/notARealField/);
  });

  it('rejects orderCancel.jobResult @ 2026-07, which only 2026-10 has', () => {
    expect(errorsAgainst(loadRealSchema('2026-07'), jobResultCancel).join('\n')).toMatch(/jobResult/);
    expect(errorsAgainst(loadRealSchema('2026-10'), jobResultCancel)).toEqual([]);
  });

  describe('a bad document in a scanned source tree', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bulkfill-contract-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    mkdirSync(join(dir, 'documents'));
    writeFileSync(
      join(dir, 'documents', 'bad.ts'),
      [
        "import { gql } from '../gql.js';",
        '',
        '// gql`query InAComment { shop { name } }`',
        'export const BAD = gql`',
        '  # @versions 2026-07, 2026-10',
        '  query Bad { shop { name notARealField } }',
        '`;',
        'export const GOOD = gql`query Good { shop { name } }`;',
        '',
      ].join('\n'),
    );
    writeFileSync(join(dir, 'documents', 'types.d.ts'), 'export const S = gql`query Skipped { x }`;\n');
    mkdirSync(join(dir, 'src', 'sandbox'), { recursive: true });
    writeFileSync(join(dir, 'src', 'sandbox', 'served.ts'), 'export const S = gql`query Skipped { x }`;\n');

    const found = collectDocuments(dir);

    it('finds each gql literal with its line and declared versions, skipping .d.ts, src/sandbox and comments', () => {
      expect(found.map(({ file, line, versions }) => ({ file: relative(dir, file), line, versions }))).toEqual([
        { file: join('documents', 'bad.ts'), line: 4, versions: ['2026-07', '2026-10'] },
        { file: join('documents', 'bad.ts'), line: 8, versions: null },
      ]);
      expect(found[1]?.text).toBe('query Good { shop { name } }');
    });

    it('the bad one fails validation and the good one passes', () => {
      const [bad, good] = found;
      expect(errorsAgainst(loadRealSchema('2026-10'), bad!.text).join('\n')).toMatch(/notARealField/);
      expect(errorsAgainst(loadRealSchema('2026-10'), good!.text)).toEqual([]);
    });
  });
});

// ---- The sandbox schema is a subset of the real one ------------------------------------------------

function kindOf(type: GraphQLNamedType): string {
  if (isObjectType(type)) return 'object';
  if (isInterfaceType(type)) return 'interface';
  if (isUnionType(type)) return 'union';
  if (isEnumType(type)) return 'enum';
  if (isInputObjectType(type)) return 'input object';
  if (isScalarType(type)) return 'scalar';
  return 'unknown';
}

function defaultOf(value: GraphQLArgument | GraphQLInputField): string {
  if (value.defaultValue === undefined) return '(no default)';
  const ast = astFromValue(value.defaultValue, value.type);
  return ast ? print(ast) : '(unprintable default)';
}

const isRequired = (value: GraphQLArgument | GraphQLInputField): boolean => isNonNullType(value.type) && value.defaultValue === undefined;

/** Every way `sandbox` is not a subset of `real`, one readable line each (empty when it is). */
function subsetViolations(sandbox: GraphQLSchema, real: GraphQLSchema): string[] {
  const problems: string[] = [];
  const compareValue = (where: string, mine: GraphQLArgument | GraphQLInputField, theirs: GraphQLArgument | GraphQLInputField) => {
    if (String(mine.type) !== String(theirs.type)) problems.push(`${where}: type ${mine.type}, real ${theirs.type}`);
    if (defaultOf(mine) !== defaultOf(theirs)) problems.push(`${where}: default ${defaultOf(mine)}, real ${defaultOf(theirs)}`);
  };

  for (const operation of [OperationTypeNode.QUERY, OperationTypeNode.MUTATION, OperationTypeNode.SUBSCRIPTION]) {
    const mine = sandbox.getRootType(operation)?.name;
    const theirs = real.getRootType(operation)?.name;
    if (mine !== undefined && mine !== theirs) problems.push(`${operation} root type: ${mine}, real ${theirs ?? '(none)'}`);
  }
  for (const operation of [OperationTypeNode.QUERY, OperationTypeNode.MUTATION]) {
    if (!sandbox.getRootType(operation) && real.getRootType(operation)) problems.push(`${operation} root type missing`);
  }

  for (const mine of Object.values(sandbox.getTypeMap())) {
    if (mine.name.startsWith('__')) continue;
    const theirs = real.getType(mine.name);
    if (!theirs) {
      problems.push(`${mine.name}: not in the real schema`);
      continue;
    }
    if (kindOf(mine) !== kindOf(theirs)) {
      problems.push(`${mine.name}: ${kindOf(mine)}, real ${kindOf(theirs)}`);
      continue;
    }

    if ((isObjectType(mine) || isInterfaceType(mine)) && (isObjectType(theirs) || isInterfaceType(theirs))) {
      const realInterfaces = new Set(theirs.getInterfaces().map((i) => i.name));
      for (const iface of mine.getInterfaces()) {
        if (!realInterfaces.has(iface.name)) problems.push(`${mine.name}: implements ${iface.name}, real does not`);
      }
      const realFields = theirs.getFields();
      for (const field of Object.values(mine.getFields())) {
        const where = `${mine.name}.${field.name}`;
        const realField = realFields[field.name];
        if (!realField) {
          problems.push(`${where}: not in the real schema`);
          continue;
        }
        if (String(field.type) !== String(realField.type)) problems.push(`${where}: type ${field.type}, real ${realField.type}`);
        for (const arg of field.args) {
          const realArg = realField.args.find((a) => a.name === arg.name);
          if (!realArg) problems.push(`${where}(${arg.name}): not in the real schema`);
          else compareValue(`${where}(${arg.name})`, arg, realArg);
        }
        for (const realArg of realField.args.filter(isRequired)) {
          if (!field.args.some((a) => a.name === realArg.name)) problems.push(`${where}(${realArg.name}): required by real, missing`);
        }
      }
    } else if (isInputObjectType(mine) && isInputObjectType(theirs)) {
      if (mine.isOneOf !== theirs.isOneOf) problems.push(`${mine.name}: @oneOf ${mine.isOneOf}, real ${theirs.isOneOf}`);
      const realFields = theirs.getFields();
      const myFields = mine.getFields();
      for (const field of Object.values(myFields)) {
        const realField = realFields[field.name];
        if (!realField) problems.push(`${mine.name}.${field.name}: not in the real schema`);
        else compareValue(`${mine.name}.${field.name}`, field, realField);
      }
      for (const realField of Object.values(realFields).filter(isRequired)) {
        if (!myFields[realField.name]) problems.push(`${mine.name}.${realField.name}: required by real, missing`);
      }
    } else if (isEnumType(mine) && isEnumType(theirs)) {
      const realValues = new Set(theirs.getValues().map((v) => v.name));
      for (const value of mine.getValues()) {
        if (!realValues.has(value.name)) problems.push(`${mine.name}.${value.name}: not in the real enum`);
      }
    } else if (isUnionType(mine) && isUnionType(theirs)) {
      const realMembers = new Set(theirs.getTypes().map((t) => t.name));
      for (const member of mine.getTypes()) {
        if (!realMembers.has(member.name)) problems.push(`${mine.name}: member ${member.name}, real does not have it`);
      }
    }
  }
  return problems;
}

describe('the sandbox schema is a subset of the real one', () => {
  it.each(SUPPORTED_API_VERSIONS)('signature by signature @ %s', (version: ApiVersion) => {
    expect(subsetViolations(sandboxSchema(version), loadRealSchema(version))).toEqual([]);
  });

  it('reports each kind of divergence (the check can fail)', () => {
    const drifted = buildSchema(`
      schema { query: QueryRoot mutation: Mutation }
      interface Node { id: ID! }
      type QueryRoot { shop: Shop! order(id: ID!, extra: Int): Order notARealRoot: Int }
      type Mutation { orderCancel(orderId: ID!, reason: OrderCancelReason!, refund: Boolean = true): Int }
      type Shop { name: String }
      type Order { id: ID! }
      type MoneyV2 implements Node { id: ID! }
      type AppUsagePricing { terms: String! }
      type Customer { id: ID! }
      union AppPricingDetails = AppUsagePricing | Customer
      type DateTime { id: ID! }
      enum OrderCancelReason { OTHER NOT_A_REASON }
      input OrderCancelRefundMethodInput { notAField: Boolean }
      input MoneyInput { amount: String! }
      type NotAType { id: ID! }
    `);
    expect(subsetViolations(drifted, loadRealSchema('2026-10'))).toEqual(
      expect.arrayContaining([
        'QueryRoot.notARealRoot: not in the real schema',
        'QueryRoot.order(extra): not in the real schema',
        'Mutation.orderCancel: type Int, real OrderCancelPayload',
        'Mutation.orderCancel(refund): default true, real (no default)',
        'Mutation.orderCancel(restock): required by real, missing',
        'Shop.name: type String, real String!',
        'MoneyV2: implements Node, real does not',
        'MoneyV2.id: not in the real schema',
        'AppPricingDetails: member Customer, real does not have it',
        'DateTime: object, real scalar',
        'OrderCancelReason.NOT_A_REASON: not in the real enum',
        'OrderCancelRefundMethodInput: @oneOf false, real true',
        'OrderCancelRefundMethodInput.notAField: not in the real schema',
        'MoneyInput.amount: type String!, real Decimal!',
        'MoneyInput.currencyCode: required by real, missing',
        'NotAType: not in the real schema',
      ]),
    );
    const renamedRoot = buildSchema('type Query { shop: Shop! } type Shop { name: String! }');
    expect(subsetViolations(renamedRoot, loadRealSchema('2026-10'))).toEqual([
      'query root type: Query, real QueryRoot',
      'mutation root type missing',
      'Query: not in the real schema',
    ]);
  });
});

describe('the generated sandbox schema', () => {
  it('is what scripts/generate-sandbox-schema.mjs produces from the spec and the real schema today', () => {
    const run = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'generate-sandbox-schema.mjs'), '--check'], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});
