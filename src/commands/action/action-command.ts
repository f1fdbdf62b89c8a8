// The `bulkfill <action>` command of a registered action: the shared flags, then the action's own
// (its command.ts `cli`), then its examples; running it is the shared flow (run-action.ts).
import { Command } from 'commander';
import type { RegisteredAction } from '../../actions/definition.js';
import { handle } from '../../cli/handle.js';
import type { Context } from '../../context.js';
import type { CommonFlags } from '../../actions/common-flags.js';
import { addCommonFlags } from './flags.js';
import { runActionCommand } from './run-action.js';

export function actionCommand(ctx: Context, spec: RegisteredAction): Command {
  const { cli } = spec;
  const command = addCommonFlags(new Command(spec.action.name).summary(cli.summary).description(cli.description)).optionsGroup(cli.group);
  for (const option of cli.flags()) command.addOption(option);
  command.addHelpText('after', ['', 'Examples:', ...cli.examples.map((example) => `  ${example}`)].join('\n'));
  return handle(command, async () => runActionCommand(ctx, spec, command.opts<CommonFlags>(), command.args));
}
