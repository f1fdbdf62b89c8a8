// vitest globalSetup: the token leak scan over the whole test run.
//
// setup: makes the directory the workers record into (leak-scan.ts) and provides it to them.
// teardown, after every test file has run: scans
//   - every output the tests captured: stdout and stderr of each built-bin run and each in-process
//     Context (the last record of each capture);
//   - every file under the state directories the run wrote: temp dirs named bulkfill-* created since
//     the run started, and the state dirs and --failures paths the tests handed to bulkfill
//     (journals *.jsonl, *.failures.csv, locks …);
// for the tokens issued or handed out during the run and for anything shaped like an Admin API
// access token (shpat_ + 32 hex digits). Any occurrence fails the run: process.exitCode = 1 (vitest
// ignores an error thrown here), and `leak-scan.json` beside the JSON report (when one is written)
// says so for .ci/summary.mjs.
//
// Exemptions, the only ones:
//   1. `bulkfill sandbox` announces its own token by design: on stdout with --json (the one line
//      {"url","token"}) and in its ready block on stderr ("  URL    …" / "  Token  …"). That token is
//      exempt in that output only; any other token there still counts.
//   2. `bulkfill demo` writes its embedded sandbox's token to <stateDir>/demo/sandbox-token so the
//      command lines it prints can be pasted: that one file is not scanned.
// Temp dirs named bulkfill-bench-* belong to the benchmark (bench/run.ts), not to the tests.
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve, sep } from 'node:path';

import type { TestProject } from 'vitest/node';

import type { LeakRecord } from './leak-scan.js';

/** The shape of every Admin API access token the sandbox issues (and Shopify's offline tokens). */
const TOKEN_SHAPE = /shpat_[0-9a-f]{32}/g;
/** Recorded tokens of another shape are searched for literally when they are this long (shorter ones are test words like "x"). */
const MIN_LITERAL_TOKEN = 16;
const MAX_FILE_BYTES = 64 * 1024 * 1024;
const MAX_FILES = 50_000;
const ANSI = '(?:\\u001b\\[[0-9;]*m)?';
const SANDBOX_JSON_LINE = /^\{"url":"[^"]*","token":"([^"]+)"\}\n?$/;
const SANDBOX_READY_BLOCK = new RegExp(`^ {2}URL {4}${ANSI}\\S+?${ANSI}\\n {2}Token {2}(\\S+)$`, 'm');

export interface LeakFinding {
  where: string;
  excerpt: string;
}

export interface LeakScanResult {
  outputs: number;
  files: number;
  tokensTracked: number;
  exemptions: number;
  occurrences: number;
  findings: LeakFinding[];
}

export default function setup(project: TestProject): () => void {
  const runStart = Date.now();
  const recordDir = mkdtempSync(join(tmpdir(), 'vitest-leak-scan-'));
  project.provide('bulkfillLeakScanDir', recordDir);
  const outputFile = project.vitest.config.outputFile;
  const jsonReport = typeof outputFile === 'string' ? outputFile : outputFile?.json;
  const resultFile = jsonReport ? join(dirname(resolve(jsonReport)), 'leak-scan.json') : null;

  return () => {
    let result: LeakScanResult;
    try {
      result = scanRun(recordDir, runStart);
    } finally {
      rmSync(recordDir, { recursive: true, force: true });
    }
    const line =
      `leak scan: ${result.outputs} outputs scanned, ${result.files} files, ${result.occurrences} occurrences ` +
      `(${result.tokensTracked} tokens tracked, ${result.exemptions} sandbox token announcements exempt)`;
    if (resultFile) writeFileSync(resultFile, `${JSON.stringify({ ...result, line })}\n`);
    if (result.occurrences === 0) {
      console.log(line);
      return;
    }
    console.error(`\n${line}\nTOKEN LEAK: an access token appeared where it must never be:`);
    for (const finding of result.findings.slice(0, 30)) console.error(`  - ${finding.where}\n      …${finding.excerpt}…`);
    if (result.findings.length > 30) console.error(`  … and ${result.findings.length - 30} more`);
    process.exitCode = 1;
  };
}

/** Reads what the workers recorded and scans it all, and the files the run wrote. */
export function scanRun(recordDir: string, runStart: number): LeakScanResult {
  const outputs = new Map<string, Extract<LeakRecord, { type: 'output' }>>();
  const tokens = new Set<string>();
  const paths = new Set<string>();
  for (const name of existsSync(recordDir) ? readdirSync(recordDir) : []) {
    for (const line of readFileSync(join(recordDir, name), 'utf8').split('\n')) {
      if (!line) continue;
      const record = JSON.parse(line) as LeakRecord;
      if (record.type === 'output') outputs.set(record.id, record);
      else if (record.type === 'token') tokens.add(record.token);
      else paths.add(resolve(record.path));
    }
  }
  const scanner = createScanner([...tokens]);
  const findings: LeakFinding[] = [];
  let exemptions = 0;
  for (const record of outputs.values()) {
    const { text, exempted } = withoutAnnouncedToken(record, scanner);
    if (exempted) exemptions++;
    for (const excerpt of scanner(text))
      findings.push({ where: `${record.stream} of ${record.origin === 'bin' ? 'built bin' : 'in-process run'}: ${record.source}`, excerpt });
  }
  const files = filesWritten(runStart, paths);
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue; // removed meanwhile, or not readable: nothing bulkfill left there
    }
    for (const excerpt of scanner(text)) findings.push({ where: `file ${file}`, excerpt });
  }
  return { outputs: outputs.size, files: files.length, tokensTracked: tokens.size, exemptions, occurrences: findings.length, findings };
}

/** A function listing each occurrence of a token in a text, as a short excerpt with the token masked. */
export function createScanner(tokens: readonly string[]): (text: string) => string[] {
  const literal = [...new Set(tokens)].filter((token) => token.length >= MIN_LITERAL_TOKEN && !new RegExp(`^${TOKEN_SHAPE.source}$`).test(token));
  return (text) => {
    const hits = new Map<number, number>(); // start → end
    for (const match of text.matchAll(TOKEN_SHAPE)) hits.set(match.index, match.index + match[0].length);
    for (const token of literal) {
      for (let at = text.indexOf(token); at >= 0; at = text.indexOf(token, at + 1)) hits.set(at, Math.max(hits.get(at) ?? 0, at + token.length));
    }
    return [...hits].sort(([a], [b]) => a - b).map(([start, end]) => excerpt(text, start, end));
  };
}

function excerpt(text: string, start: number, end: number): string {
  const before = text.slice(Math.max(0, start - 60), start);
  const after = text.slice(end, end + 60);
  // The report must not leak it either: keep its first 8 characters.
  return `${before}${text.slice(start, start + 8)}<…redacted>${after}`.replace(/\s+/g, ' ');
}

/**
 * Exemption 1: `bulkfill sandbox` prints its own token by design. Built-bin runs are known to be the
 * sandbox command by their arguments; an in-process Context does not know its command, so there the
 * exact announcement format decides.
 */
function withoutAnnouncedToken(
  record: Extract<LeakRecord, { type: 'output' }>,
  scanner: (text: string) => string[],
): { text: string; exempted: boolean } {
  const sandboxCommand = record.origin === 'context' || record.command === 'sandbox';
  if (!sandboxCommand) return { text: record.text, exempted: false };
  const announced = record.stream === 'stdout' ? SANDBOX_JSON_LINE.exec(record.text)?.[1] : SANDBOX_READY_BLOCK.exec(record.text)?.[1];
  // A test's fake token ("shpat_test") is no token to exempt.
  if (!announced || scanner(announced).length === 0) return { text: record.text, exempted: false };
  return { text: record.text.split(announced).join('[announced sandbox token]'), exempted: true };
}

/** Every regular file under the bulkfill-* temp dirs created during the run and under the recorded paths. */
function filesWritten(runStart: number, recorded: Set<string>): string[] {
  const roots = new Set<string>();
  const tmp = tmpdir();
  for (const name of readdirSync(tmp)) {
    if (!name.startsWith('bulkfill-') || name.startsWith('bulkfill-bench-')) continue;
    const path = join(tmp, name);
    const stats = statOrNull(path);
    // Created (or changed) since the run started: ctime moves when entries are added, not backwards.
    if (stats?.isDirectory() && Math.max(stats.birthtimeMs, stats.ctimeMs) >= runStart - 1_000) roots.add(path);
  }
  for (const path of recorded) {
    // Never walk a whole temp dir or home directory a test may have named as a fake state dir.
    if (path === tmp || path === sep || path === process.env.HOME) continue;
    if (statOrNull(path)) roots.add(path);
  }
  const files = new Set<string>();
  const walk = (path: string): void => {
    if (files.size >= MAX_FILES) return;
    const stats = statOrNull(path);
    if (!stats) return;
    if (stats.isDirectory()) {
      let names: string[] = [];
      try {
        names = readdirSync(path);
      } catch {
        return;
      }
      for (const name of names) walk(join(path, name));
    } else if (stats.isFile() && stats.size <= MAX_FILE_BYTES && !isDemoTokenFile(path)) {
      files.add(path);
    }
  };
  for (const root of roots) walk(root);
  return [...files].sort();
}

/** Exemption 2: `bulkfill demo`'s <stateDir>/demo/sandbox-token. */
function isDemoTokenFile(path: string): boolean {
  return basename(path) === 'sandbox-token' && basename(dirname(path)) === 'demo';
}

function statOrNull(path: string) {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}
