// Questions to the person at the terminal, behind one small interface so commands never import the
// prompt library and tests answer with a script. The real one renders @inquirer/prompts on stderr
// (stdout stays data) and reads the Context's stdin. The library is loaded on the first question:
// scripts and cron runs, which never ask, do not pay for it at start-up.

import type { Prompter } from '../context.js';

export function createInquirerPrompter(streams: { stdin: NodeJS.ReadableStream; stderr: NodeJS.WritableStream }): Prompter {
  const io = () => ({ input: streams.stdin, output: streams.stderr });
  const inquirer = () => import('@inquirer/prompts');
  return {
    select: async (q) =>
      (await inquirer()).select({ message: q.message, choices: q.choices, ...(q.default !== undefined ? { default: q.default } : {}) }, io()),
    checkbox: async (q) => (await inquirer()).checkbox({ message: q.message, choices: q.choices, required: true, loop: false }, io()),
    confirm: async (q) => (await inquirer()).confirm({ message: q.message, default: q.default }, io()),
    input: async (q) =>
      (await inquirer()).input(
        {
          message: q.message,
          ...(q.default !== undefined ? { default: q.default } : {}),
          ...(q.validate ? { validate: (text: string) => q.validate!(text) ?? true } : {}),
        },
        io(),
      ),
  };
}
