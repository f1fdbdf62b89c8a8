// Every subcommand, in the order `bulkfill --help` lists them. A command file exports a factory
// `(ctx) => Command`; adding a command means one file here and one line below.

import type { Command } from 'commander';

import type { Context } from '../context.js';
import { cancelRequestCommand } from './cancel-request.js';
import { cancelCommand } from './cancel.js';
import { markOpenCommand } from './mark-open.js';
import { requestFulfillmentCommand } from './request-fulfillment.js';
import { demoCommand } from './demo.js';
import { runsCommand } from './runs.js';
import { sandboxCommand } from './sandbox.js';

export type CommandFactory = (ctx: Context) => Command;

export const COMMANDS: readonly CommandFactory[] = [
  markOpenCommand,
  cancelCommand,
  requestFulfillmentCommand,
  cancelRequestCommand,
  runsCommand,
  sandboxCommand,
  demoCommand,
];
