// The flags every action command shares, as values: action command specs read them; commands/action/flags.ts
// declares them on the command line.
import type { SelectionFlagValues } from '../selection/registry.js';

/** The selection flags (ids, csv, query, olderThan, strict) are declared with the selection sources. */
export interface CommonFlags extends SelectionFlagValues {
  limit?: number;
  store?: string;
  tokenFile?: string;
  apiVersion?: string;
  profile?: string;
  dryRun?: boolean;
  yes?: boolean;
  json?: boolean;
  failures?: string;
  resume?: string;
  concurrency?: number;
  timeout?: number;
  settleDeadline?: number;
}
