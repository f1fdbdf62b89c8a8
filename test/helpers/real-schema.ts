// Shopify's published Admin schema (fetched into the cache by scripts/fetch-admin-schema.mjs, which
// `npm test` runs first) and the sandbox's generated subset of it, one per supported API version.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

import { buildClientSchema, buildSchema, type GraphQLSchema, type IntrospectionQuery } from 'graphql';

import type { ApiVersion } from '../../src/shopify/api-versions.js';
import { sdl as sdl202607 } from '../../packages/sandbox/src/schema/generated/admin-2026-07.js';
import { sdl as sdl202610 } from '../../packages/sandbox/src/schema/generated/admin-2026-10.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
// Same location and override as scripts/fetch-admin-schema.mjs.
const cacheDir = process.env.BULKFILL_SCHEMA_CACHE ?? join(repoRoot, '.cache', 'admin-schema');

const SANDBOX_SDL: Record<ApiVersion, string> = { '2026-07': sdl202607, '2026-10': sdl202610 };

const realSchemas = new Map<ApiVersion, GraphQLSchema>();
const sandboxSchemas = new Map<ApiVersion, GraphQLSchema>();

/** Shopify's real Admin schema for `version`, built from the cached introspection JSON. */
export function loadRealSchema(version: ApiVersion): GraphQLSchema {
  let schema = realSchemas.get(version);
  if (!schema) {
    const file = join(cacheDir, `admin_${version}.json.gz`);
    let json: { data?: IntrospectionQuery } & Partial<IntrospectionQuery>;
    try {
      json = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8'));
    } catch (error) {
      throw new Error(`cannot read Shopify's Admin schema ${file}; run \`npm run schema:fetch\``, { cause: error });
    }
    schema = buildClientSchema(json.data ?? (json as IntrospectionQuery));
    realSchemas.set(version, schema);
  }
  return schema;
}

/** The schema the sandbox serves for `version`. */
export function sandboxSchema(version: ApiVersion): GraphQLSchema {
  let schema = sandboxSchemas.get(version);
  if (!schema) {
    schema = buildSchema(SANDBOX_SDL[version]);
    sandboxSchemas.set(version, schema);
  }
  return schema;
}
