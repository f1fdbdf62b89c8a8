// The --json document (docs/shopify-behaviour.md#json-output): exactly one JSON document on stdout, which
// scripts depend on —
//
//   { "run":     { "id", "command", "store", "apiVersion", "startedAt", "finishedAt", "dryRun" },
//     "summary": { "selected", "done", "already", "skipped", "failed", "unknown" },
//     "orders":  [ { "id", "name", "outcome", "reason"?, "message"? } ] }
//
// `orders[].outcome` is one of done / already / skipped / failed / unknown, and two more:
//   - "planned": in a dry run, an order the run would act on (the plan's per-order view; orders the
//     plan found already done, skipped or not found carry those outcomes as usual);
//   - "not-started": a planned order a real run never reached (declined at the confirmation, or
//     interrupted before it; `--resume` carries on with it).
// `reason` is absent when the order has none (done, already); `message` is absent when empty.
//
// The orders array is streamed element by element, waiting for 'drain' whenever the stream asks, so
// 100,000 orders never sit in memory as one string and the output is valid JSON at any size. The
// promise resolves once the stream has taken the last chunk; the stream is not ended (it is stdout).

import { once } from 'node:events';

import type { RunCounts } from '../journal/format.js';
import { readRunHeader, type ReportOrder } from '../journal/outcomes.js';
import { summarizeRun, type RunReport } from '../run/runner.js';

export interface JsonReportOptions {
  /** The command (e.g. "cancel"); read from the journal's header when not given. */
  command?: string;
}

// Write in chunks of about this many characters: fewer, larger writes, still bounded memory.
const CHUNK = 64 * 1024;

export async function writeJsonReport(
  stream: NodeJS.WritableStream,
  report: RunReport,
  outcomes: AsyncIterable<ReportOrder> | Iterable<ReportOrder>,
  options: JsonReportOptions = {},
): Promise<void> {
  const command = options.command ?? (await readRunHeader(report.journal))?.command ?? null;
  const run: ReportRun = {
    id: report.runId,
    command,
    store: report.store,
    apiVersion: report.apiVersion,
    startedAt: report.startedAt,
    finishedAt: report.finishedAt,
    dryRun: report.dryRun,
  };
  await writeReportDocument(stream, run, summarizeRun(report), outcomes);
}

/** The document's `run`: these keys first, in this order; `bulkfill runs show --json` adds more after them. */
export interface ReportRun {
  id: string;
  command: string | null;
  store: string | null;
  apiVersion: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  dryRun: boolean;
  [more: string]: unknown;
}

/** Writes `{run, summary, orders}`, streaming the orders (see the top of this file). */
export async function writeReportDocument(
  stream: NodeJS.WritableStream,
  run: ReportRun,
  summary: RunCounts,
  outcomes: AsyncIterable<ReportOrder> | Iterable<ReportOrder>,
): Promise<void> {
  // A reader that went away (`… --json | head`) ends the document quietly; the run is not affected.
  let readerGone = false;
  const gone = (error: unknown) => {
    if ((error as NodeJS.ErrnoException | null)?.code !== 'EPIPE') throw error;
    readerGone = true;
  };
  const write = async (text: string) => {
    if (readerGone) return;
    try {
      if (!stream.write(text)) await once(stream, 'drain');
    } catch (error) {
      gone(error);
    }
  };
  const counts: RunCounts = {
    selected: summary.selected,
    done: summary.done,
    already: summary.already,
    skipped: summary.skipped,
    failed: summary.failed,
    unknown: summary.unknown,
  };
  await write(`{"run":${JSON.stringify(run)},\n"summary":${JSON.stringify(counts)},\n"orders":[`);
  let buffer = '';
  let first = true;
  for await (const record of outcomes) {
    if (readerGone) return;
    buffer += `${first ? '\n' : ',\n'}${JSON.stringify(orderJson(record))}`;
    first = false;
    if (buffer.length >= CHUNK) {
      await write(buffer);
      buffer = '';
    }
  }
  // The last chunk: resolve once the stream has handed it on, so the document is complete on return.
  if (readerGone) return;
  await new Promise<void>((resolve, reject) => {
    stream.write(`${buffer}${first ? '' : '\n'}]}\n`, (error?: Error | null) => (error ? reject(error) : resolve()));
  }).catch(gone);
}

function orderJson(record: ReportOrder): Record<string, string | null> {
  return {
    id: record.order,
    name: record.name,
    outcome: record.outcome,
    ...(record.reason ? { reason: record.reason } : {}),
    ...(record.message ? { message: record.message } : {}),
  };
}
