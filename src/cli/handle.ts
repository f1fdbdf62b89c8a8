// Commander ignores what an action returns; commands here return their exit code, so the handler's
// result is kept against the root program for main() to read back.

import type { Command } from 'commander';

export type CommandHandler = (command: Command) => Promise<number>;

const exitCodes = new WeakMap<Command, number>();

/** Sets `handler` as the command's action; its result becomes the process exit code. */
export function handle(command: Command, handler: CommandHandler): Command {
  return command.action(async () => {
    exitCodes.set(rootOf(command), await handler(command));
  });
}

/** The exit code returned by the command that ran, or 0 when none did. */
export function exitCodeOf(program: Command): number {
  return exitCodes.get(program) ?? 0;
}

function rootOf(command: Command): Command {
  let root = command;
  while (root.parent) root = root.parent;
  return root;
}
