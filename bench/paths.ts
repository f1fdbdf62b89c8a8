// Where things are, whether this code runs from bench/ (vitest imports soak-lib.ts) or compiled from
// bench/dist/bench/ (`npm run bench`).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** This module's own directory: the other benchmark scripts are its siblings, in either layout. */
export const HERE = path.dirname(fileURLToPath(import.meta.url));

/** The repository root: the nearest directory above that holds bin/bulkfill.js. */
export const ROOT = findRoot(HERE);
export const BIN = path.join(ROOT, 'bin', 'bulkfill.js');
export const RESULTS_DIR = path.join(ROOT, 'bench', 'results');

function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'bin', 'bulkfill.js'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`bench: no bin/bulkfill.js above ${from}`);
  }
}
