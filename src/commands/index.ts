// Every subcommand, in the order `bulkfill --help` lists them: the actions (from their registry),
// then the others. A command file exports a factory `(ctx) => Command`; adding a command means one
// file here and one line below (an action: see src/actions/registry.ts).

import type { Command } from 'commander';

import { ACTIONS } from '../actions/registry.js';
import type { Context } from '../context.js';
import { actionCommand } from './action/action-command.js';
import { demoCommand } from './demo.js';
import { runsCommand } from './runs.js';
import { sandboxCommand } from './sandbox.js';

export type CommandFactory = (ctx: Context) => Command;

export const COMMANDS: readonly CommandFactory[] = [
  ...ACTIONS.map(
    (spec): CommandFactory =>
      (ctx) =>
        actionCommand(ctx, spec),
  ),
  runsCommand,
  sandboxCommand,
  demoCommand,
];
