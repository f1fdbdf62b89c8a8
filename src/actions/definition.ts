// Everything one action knows, in one value: its engine contract (action.ts of its folder), its
// labels, how its options are recorded and restored (options.ts), and its command: flags, questions,
// confirmation, notes and examples (command.ts). The registry (registry.ts) lists every action once;
// the command line, the plan and the progress display read them from there.
import type { Option } from 'commander';
import type { CommonFlags } from './common-flags.js';
import type { PlanTotals } from '../run/planner.js';
import type { Connection } from '../config/credentials.js';
import type { Prompter } from '../context.js';
import type { BulkAction, OrderSnapshot, PlanFacts } from './action.js';

/** What the plan and the progress display call an action's work. */
export interface ActionLabels {
  /** For the progress bar: "Cancelling". */
  progress: string;
  /** The plan's row of orders to act on: "To cancel". */
  act: string;
  /** Headings of the action's `<group>:<item>` plan facts; counts are of fulfillment orders. */
  factGroups?: Readonly<Record<string, string>>;
}

/** How the options are kept in the journal, read back on resume, and given again as flags. */
export interface OptionsCodec<Options> {
  /** What the journal keeps of the options (plain JSON, never secrets). */
  record(options: Options): Record<string, unknown>;
  /** The options of a resumed run, validated: a journal is read, not trusted. */
  restore(recorded: unknown, connection: Connection): Options;
  /** The action's flags that reproduce the options, for the "retry these" command. */
  flagsFor(options: Options): string[];
}

/** The command's own part of `bulkfill <name> --help`; the shared flags come from commands/action/flags.ts. */
export interface ActionCli {
  summary: string;
  description: string;
  /** The heading of the action's own flags. */
  group: string;
  flags(): Option[];
  /** Example command lines, shown after the flags. */
  examples: string[];
}

export interface ActionCommandSpec<
  Flags,
  Options,
  Snapshot extends OrderSnapshot = OrderSnapshot,
  Step = unknown,
  Survey extends object = object,
  Facts extends PlanFacts = PlanFacts,
> extends OptionsCodec<Options> {
  action: BulkAction<Options, Snapshot, Step, Survey, Facts>;
  labels: ActionLabels;
  cli: ActionCli;
  requiredScopes: string[];
  /** The action's flags that are missing and that a non-interactive run must be given. */
  missingFlags(flags: Flags): string[];
  /**
   * Asks for what missingFlags named, offering only what the selection holds (`survey`, see
   * BulkAction.survey), and returns the flags completed.
   */
  ask(flags: Flags, survey: Readonly<Survey>, prompter: Prompter): Promise<Flags>;
  /** Whether a run at a terminal asks even with every required flag given (e.g. which delivery methods). */
  asksAnyway?(flags: Flags): boolean;
  /** The options the flags already settle, for reading the selection before the rest is asked. */
  known?(flags: Flags): Partial<Options>;
  /** Called with every flag missingFlags checks given. */
  options(flags: Flags, connection: Connection): Options;
  /** Said under the plan (so also with --yes): what the run does beyond the counts, e.g. customer emails. */
  planNotes?(options: Options): string[];
  /** The question before anything changes: what will happen, and what cannot be undone. */
  confirmation(plan: PlanTotals<Facts>, options: Options): string;
}

/** The command spec of `Action`, its own types read off it, with the command's `Flags`. */
export type ActionSpecFor<Flags, Action> =
  Action extends BulkAction<infer Options, infer Snapshot, infer Step, infer Survey, infer Facts>
    ? ActionCommandSpec<Flags, Options, Snapshot, Step, Survey, Facts>
    : never;

/** An action as the registry holds it: its own types erased, so every action fits one list. */
export type RegisteredAction = ActionCommandSpec<CommonFlags, unknown, OrderSnapshot, unknown>;
