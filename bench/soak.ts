#!/usr/bin/env node
// `npm run bench`, after bench/run.ts (docs/architecture.md#soak-tests): the soaks at full size, with bench/soak-lib.ts.
//
//   fault soak  — each action over 2000 generated orders against a sandbox (plan standard) injecting
//                 5% 503, 2% 429, 2% resets before and 2% after applying, 1% answers slower than the
//                 CLI's timeout, with another client of the shop spending part of the rate limit.
//   kill/resume — a 2000-order cancel run SIGKILLed at 20 random moments, resumed each time, then
//                 resumed to the end.
// Each checks: every planned order in its target state, each mutation applied exactly once per target,
// every selected order with an outcome, every order not acted on with a reason; journals parse.
//
//   node bench/dist/bench/soak.js [--orders 2000] [--kills 20] [--only fault,kill] [--actions cancel,mark-open,...]
//
// Results: a table on stdout, bench/results/soak.json. Exit code: 0 when every soak held its invariant,
// 1 when one did not (or could not run), 130/143 when interrupted.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { RESULTS_DIR } from './paths.js';
import { ACTION_NAMES, SOAK_FAULTS, faultSoak, formatFigures, killChildren, killSoak, type SoakResult } from './soak-lib.js';

const RESULTS = path.join(RESULTS_DIR, 'soak.json');

const { values: cli } = parseArgs({
  options: {
    orders: { type: 'string', default: '2000' },
    kills: { type: 'string', default: '20' },
    only: { type: 'string', default: 'fault,kill' },
    actions: { type: 'string', default: ACTION_NAMES.join(',') },
  },
});
const ORDERS = Number(cli.orders);
const KILLS = Number(cli.kills);
const only = cli.only.split(',');
const actions = cli.actions.split(',');
for (const action of actions) if (!ACTION_NAMES.includes(action)) fail(`--actions: unknown action "${action}" (actions: ${ACTION_NAMES.join(', ')})`);
if (!Number.isInteger(ORDERS) || ORDERS < 1 || !Number.isInteger(KILLS) || KILLS < 0) fail('--orders and --kills take whole numbers');

// Time scale 5: the standard plan's bucket refills at 500 points/s, so 2000-order runs are paced by the
// rate limit (a quarter of it spent by the other client), not by the machine.
const SETTINGS = { timeScale: 5, timeoutMs: 2_000, slowMs: 3_000, settleDeadlineMs: 5_000, pressure: 0.25, plan: 'standard' as const };

for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  process.on(signal, () => {
    killChildren();
    process.exit(code);
  });
}

const log = (message: string): boolean => process.stderr.write(`soak: ${message}\n`);
const results: SoakResult[] = [];
const errors: string[] = [];
const started = performance.now();

if (only.includes('fault')) {
  for (const action of actions) {
    log(`fault soak: ${action}, ${ORDERS} orders`);
    try {
      results.push(await faultSoak({ action, orders: ORDERS, ...SETTINGS, log }));
    } catch (error) {
      errors.push(`fault soak ${action}: ${describe(error)}`);
    }
  }
}
if (only.includes('kill')) {
  log(`kill/resume soak: cancel, ${ORDERS} orders, ${KILLS} kills`);
  try {
    // A slower store than the fault soak's: the run must outlast 20 kills (resumes pick up fast).
    results.push(
      await killSoak({ action: 'cancel', orders: ORDERS, kills: KILLS, minDelayMs: 100, maxDelayMs: 3_000, ...SETTINGS, timeScale: 2, log }),
    );
  } catch (error) {
    errors.push(`kill/resume soak: ${describe(error)}`);
  }
}

const faultRuns = results.filter((r) => r.kind === 'fault');
const killRuns = results.filter((r) => r.kind === 'kill');
const sum = <T>(list: T[], pick: (r: T) => number): number => list.reduce((total, r) => total + pick(r), 0);
const faultsByKind: Record<string, number> = {};
for (const r of faultRuns) for (const [kind, n] of Object.entries(r.faults)) faultsByKind[kind] = (faultsByKind[kind] ?? 0) + n;

const document = {
  at: new Date().toISOString(),
  machine: { cpus: os.cpus().length, node: process.version },
  settings: { orders: ORDERS, kills: KILLS, faults: SOAK_FAULTS, ...SETTINGS },
  figures: {
    faultSoak: faultRuns.length
      ? {
          orders: sum(faultRuns, (r) => r.orders),
          planned: sum(faultRuns, (r) => r.planned),
          injectedFaults: faultsByKind,
          outcomes: faultRuns.reduce<Record<string, number>>((all, r) => {
            for (const [k, n] of Object.entries(r.outcomes)) all[k] = (all[k] ?? 0) + n;
            return all;
          }, {}),
          throttled: sum(faultRuns, (r) => r.throttled),
          requests: sum(faultRuns, (r) => r.requests),
          otherClientRequests: sum(faultRuns, (r) => r.neighbour.requests),
          duplicates: sum(faultRuns, (r) => r.duplicates),
          lost: sum(faultRuns, (r) => r.lost),
        }
      : null,
    killResume: killRuns.length
      ? {
          kills: sum(killRuns, (r) => r.kills),
          resumes: sum(killRuns, (r) => r.resumes),
          duplicates: sum(killRuns, (r) => r.duplicates),
          lost: sum(killRuns, (r) => r.lost),
        }
      : null,
  },
  runs: results,
  errors,
  wallMs: Math.round(performance.now() - started),
};
mkdirSync(path.dirname(RESULTS), { recursive: true });
writeFileSync(RESULTS, `${JSON.stringify(document, null, 2)}\n`);

process.stdout.write(`\n${formatFigures(results)}\n`);
if (document.figures.faultSoak) {
  const f = document.figures.faultSoak;
  process.stdout.write(
    `\nfault-soak: ${f.orders} orders (${f.planned} acted on), injected faults ${JSON.stringify(f.injectedFaults)} ` +
      `(over ${f.requests} CLI and ${f.otherClientRequests} other-client requests), ` +
      `outcomes ${JSON.stringify(f.outcomes)}, CLI THROTTLED ${f.throttled}, duplicates ${f.duplicates}, lost ${f.lost}\n`,
  );
}
if (document.figures.killResume) {
  const k = document.figures.killResume;
  process.stdout.write(`kill/resume: kills ${k.kills}, resumes ${k.resumes}, duplicates ${k.duplicates}, lost ${k.lost}\n`);
}
for (const error of errors) process.stdout.write(`error: ${error}\n`);
process.stdout.write(`(${path.relative(process.cwd(), RESULTS)}; ${(document.wallMs / 1000).toFixed(0)} s)\n`);
process.exitCode = errors.length || results.some((r) => r.violations.length) ? 1 : 0;

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

function fail(message: string): never {
  process.stderr.write(`soak: ${message}\n`);
  process.exit(2);
}
