#!/usr/bin/env node
// Generates the sandbox's schema for each supported API version as a strict subset of Shopify's real
// Admin schema (see sandbox-schema-spec.mjs), stripped of descriptions, into
// packages/sandbox/src/schema/generated/admin-<version>.ts. Run `npm run schema:generate` after editing the spec.
import {
  buildClientSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isScalarType,
  isUnionType,
  getNamedType,
  printSchema,
  parse,
  print,
  Kind,
} from 'graphql';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { KEEP } from './sandbox-schema-spec.mjs';
import { SCHEMA_FILES, cacheDir } from './fetch-admin-schema.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'packages', 'sandbox', 'src', 'schema', 'generated');

function loadRealSchema(version) {
  const json = JSON.parse(gunzipSync(readFileSync(join(cacheDir, SCHEMA_FILES[version].file))).toString('utf8'));
  return buildClientSchema(json.data ?? json);
}

/** Names of the types to keep, with the fields kept on object and interface types. */
function selectTypes(schema) {
  const kept = new Map(); // name -> Set(field names) | null (whole type)
  const queue = [];
  const visit = (name) => {
    if (kept.has(name)) return;
    const type = schema.getType(name);
    if (!type) throw new Error(`type ${name} is not in the real schema`);
    if (isObjectType(type) || isInterfaceType(type)) {
      const wanted = KEEP[name];
      if (!wanted) throw new Error(`type ${name} is reachable but has no entry in sandbox-schema-spec.mjs`);
      const fields = new Set(wanted.filter((f) => f in type.getFields()));
      kept.set(name, fields);
    } else {
      kept.set(name, null);
    }
    queue.push(name);
  };
  visit('QueryRoot');
  visit('Mutation');
  // Every kept object type that implements a kept interface is a possible type of it (e.g. `node`).
  const addImplementers = () => {
    for (const name of Object.keys(KEEP)) {
      const type = schema.getType(name);
      if (isObjectType(type) && type.getInterfaces().some((i) => kept.has(i.name))) visit(name);
    }
  };
  while (queue.length) {
    while (queue.length) {
      const type = schema.getType(queue.shift());
      if (isObjectType(type) || isInterfaceType(type)) {
        const fields = kept.get(type.name);
        for (const iface of type.getInterfaces()) {
          if (KEEP[iface.name]) {
            visit(iface.name);
            for (const f of kept.get(iface.name)) fields.add(f);
          }
        }
        for (const fieldName of fields) {
          const field = type.getFields()[fieldName];
          visit(getNamedType(field.type).name);
          for (const arg of field.args) visit(getNamedType(arg.type).name);
        }
      } else if (isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) visit(getNamedType(field.type).name);
      } else if (isUnionType(type)) {
        for (const member of type.getTypes()) if (KEEP[member.name]) visit(member.name);
      } else if (!isEnumType(type) && !isScalarType(type)) {
        throw new Error(`unexpected type kind for ${type.name}`);
      }
    }
    addImplementers();
  }
  return kept;
}

function subsetSdl(schema) {
  const kept = selectTypes(schema);
  const builtIn = new Set(['String', 'Int', 'Float', 'Boolean', 'ID']);
  const doc = parse(printSchema(schema));
  const definitions = [];
  for (const def of doc.definitions) {
    if (def.kind === Kind.SCHEMA_DEFINITION) {
      definitions.push(def);
      continue;
    }
    if (def.kind === Kind.DIRECTIVE_DEFINITION) continue;
    const name = def.name.value;
    if (!kept.has(name) || builtIn.has(name)) continue;
    const fields = kept.get(name);
    const stripped = { ...def, description: undefined };
    if (def.fields) {
      stripped.fields = def.fields
        .filter((f) => fields === null || fields.has(f.name.value))
        .map((f) => ({
          ...f,
          description: undefined,
          arguments: f.arguments?.map((a) => ({ ...a, description: undefined })),
        }));
    }
    if (def.interfaces) stripped.interfaces = def.interfaces.filter((i) => kept.has(i.name.value));
    if (def.values) stripped.values = def.values.map((v) => ({ ...v, description: undefined }));
    if (def.types) stripped.types = def.types.filter((t) => kept.has(t.name.value));
    definitions.push(stripped);
  }
  return print({ kind: Kind.DOCUMENT, definitions });
}

// With --check nothing is written: exits 1 listing the generated files that differ from what the spec
// and the real schema produce now (the contract tests run this).
const check = process.argv.includes('--check');
const stale = [];
if (!check) mkdirSync(outDir, { recursive: true });
for (const version of Object.keys(SCHEMA_FILES)) {
  const sdl = subsetSdl(loadRealSchema(version));
  const file = join(outDir, `admin-${version}.ts`);
  const body =
    `// Generated by scripts/generate-sandbox-schema.mjs from Shopify's Admin schema ${version}. Do not edit.\n` +
    `export const sdl = \`\n${sdl.replace(/[\\`]|\$\{/g, (m) => '\\' + m)}\n\`;\n`;
  if (check) {
    if (!existsSync(file) || readFileSync(file, 'utf8') !== body) stale.push(file);
    continue;
  }
  writeFileSync(file, body);
  process.stderr.write(`wrote ${file} (${sdl.split('\n').length} lines of SDL)\n`);
}
if (stale.length) {
  process.stderr.write(`stale generated sandbox schema (run \`npm run schema:generate\`):\n${stale.map((f) => `  ${f}\n`).join('')}`);
  process.exitCode = 1;
}
