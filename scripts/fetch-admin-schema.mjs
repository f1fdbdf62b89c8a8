#!/usr/bin/env node
// Fetches Shopify's published Admin GraphQL schema (introspection JSON) for the API versions bulkfill
// supports. Shopify ships it inside the npm package @shopify/dev-mcp; we `npm pack` that package into a
// cache and check each file against a pinned checksum, so the contract tests always run against the
// exact schema they were written for. Shopify's file is never committed.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE = '@shopify/dev-mcp@1.16.0';
export const SCHEMA_FILES = {
  '2026-07': { file: 'admin_2026-07.json.gz', sha256: '5bcde995c89c59acdb2ee494378d96f45ce7378a16ec829a74b71d696a08ef19' },
  '2026-10': { file: 'admin_2026-10.json.gz', sha256: 'f3b522f264556925eada700e795e4a002a9cba83444ebcc6c0d724254a0c6593' },
};

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const cacheDir = process.env.BULKFILL_SCHEMA_CACHE ?? join(root, '.cache', 'admin-schema');

const sha256 = (path) => createHash('sha256').update(readFileSync(path)).digest('hex');
const isValid = ({ file, sha256: want }) => existsSync(join(cacheDir, file)) && sha256(join(cacheDir, file)) === want;

function fetchAll() {
  const work = mkdtempSync(join(tmpdir(), 'bulkfill-schema-'));
  try {
    const out = execFileSync('npm', ['pack', PACKAGE, '--silent', '--pack-destination', work], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const tarball = join(work, out.trim().split('\n').pop());
    const members = Object.values(SCHEMA_FILES).map(({ file }) => `package/dist/data/${file}`);
    execFileSync('tar', ['-xzf', tarball, '-C', work, ...members], { stdio: 'inherit' });
    mkdirSync(cacheDir, { recursive: true });
    for (const spec of Object.values(SCHEMA_FILES)) {
      const extracted = join(work, 'package', 'dist', 'data', spec.file);
      const got = sha256(extracted);
      if (got !== spec.sha256) {
        throw new Error(`${spec.file} from ${PACKAGE} has sha256 ${got}, expected ${spec.sha256}`);
      }
      renameSync(extracted, join(cacheDir, spec.file));
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (!Object.values(SCHEMA_FILES).every(isValid)) {
  process.stderr.write(`Fetching Shopify's Admin schema (${PACKAGE}) into ${cacheDir}\n`);
  fetchAll();
}
