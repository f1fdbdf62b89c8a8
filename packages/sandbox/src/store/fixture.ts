// Reading a store from JSON: a hand-written fixture (`--fixture`) or a saved state (`--state`). Both are
// the StoreData shape of model.ts; see docs/fixture-format.md. Optional fields get defaults so short
// fixtures stay short, unknown fields are refused (a typo would otherwise silently become a default),
// and every error names the file and the JSON path, e.g.
// `fixture.json: orders[3].fulfillmentOrders[0].status must be one of OPEN, IN_PROGRESS, …`.
// Checks are limited to what the state machine itself keeps true, so any saved state loads again.
//
// The format is declared with zod in fixture/schema.ts (each record as the sandbox saves it and as a
// fixture may write it, with the constant defaults) and fixture/store.ts (defaults that depend on other
// values, the rules between records, ids left out). This file turns zod's first issue into the message.
import { readFileSync } from 'node:fs';
import type { z } from 'zod/v4';
import { SandboxConfigError } from '../errors.js';
import type { StoreData } from './model.js';
import { expectation, withoutComments } from './fixture/schema.js';
import { SavedStoreSchema, StoreSchema } from './fixture/store.js';

export { DEFAULT_FIXTURE_TIMESTAMP, DEFAULT_SERVICE_BEHAVIOUR } from './fixture/schema.js';

/** A fixture that cannot be used; `path` is the JSON path of the offending value ('' for the whole file). */
export class FixtureError extends SandboxConfigError {
  override name = 'FixtureError';

  constructor(
    readonly source: string,
    readonly path: string,
    detail: string,
  ) {
    super(`${source}: ${path === '' ? detail : `${path} ${detail}`}`);
  }
}

/** Reads and validates a fixture or saved-state file. */
export function loadFixtureFile(path: string): StoreData {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new FixtureError(path, '', code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? String(error)})`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new FixtureError(path, '', `is not valid JSON: ${jsonErrorDetail(text, error)}`);
  }
  return parseStoreData(json, path);
}

function jsonErrorDetail(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const position = /at position (\d+)/.exec(message);
  if (!position) return message;
  const before = text.slice(0, Number(position[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `${message} (line ${line}, column ${column})`;
}

/** Validates a fixture or saved state (already parsed from JSON) and fills in defaults. `source` names it in errors. */
export function parseStoreData(json: unknown, source: string): StoreData {
  // The fast path: a saved state or generated store has every field, in the form the sandbox writes.
  const saved = SavedStoreSchema.safeParse(json);
  if (saved.success) return saved.data;
  const parse = (data: unknown) => StoreSchema.safeParse(data, { error: expectation, reportInput: true });
  let result = parse(json);
  if (!result.success) {
    const uncommented = withoutComments(json, result.error.issues); // comments are the only unknown keys allowed
    if (uncommented !== json) result = parse(uncommented);
  }
  if (!result.success) throw fixtureError(result.error, source);
  return result.data;
}

/**
 * The first problem zod found as a FixtureError: `<path> must be <what the schema expects>, got <value>`,
 * `<path> is required`, or the message of a broken rule or unknown key as it is. An unknown key goes before
 * the other problems of its object: a misspelt field is a missing one too, and the typo is the news.
 */
function fixtureError(error: z.ZodError, source: string): FixtureError {
  const first = error.issues[0]!;
  const issue = error.issues.find((i) => i.code === 'unrecognized_keys' && i.path.every((key, n) => first.path[n] === key)) ?? first;
  const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!] : issue.path;
  const jsonPath = path
    .map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`))
    .join('')
    .replace(/^\./, '');
  let detail = issue.message;
  if (issue.code !== 'custom' && issue.code !== 'unrecognized_keys') {
    if (issue.input !== undefined) detail = `must be ${issue.message}, got ${describe(issue.input)}`;
    else detail = issue.code === 'invalid_value' ? `is required and must be ${issue.message}` : 'is required';
  }
  return new FixtureError(source, jsonPath, detail);
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value !== null && typeof value === 'object') return 'an object';
  return JSON.stringify(value) ?? String(value);
}
