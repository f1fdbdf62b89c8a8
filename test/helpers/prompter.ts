// A Prompter that answers from a script: each answer names (part of) the question it answers, so a
// test fails loudly when the command asks something unexpected, or asks in another order.
import type { Choice, Prompter } from '../../src/context.js';

export interface ScriptedAnswer {
  /** A substring of the question's message. */
  question: string;
  answer: unknown;
}

export interface AskedQuestion {
  kind: 'select' | 'checkbox' | 'confirm' | 'input';
  message: string;
  /** The choices offered (their names), for select and checkbox. */
  choices?: string[];
  default?: unknown;
}

export interface ScriptedPrompter extends Prompter {
  readonly asked: AskedQuestion[];
  /** Answers not used yet. */
  readonly remaining: ScriptedAnswer[];
}

export function createScriptedPrompter(script: ScriptedAnswer[] = []): ScriptedPrompter {
  const remaining = [...script];
  const asked: AskedQuestion[] = [];
  const answer = (question: AskedQuestion): unknown => {
    asked.push(question);
    const next = remaining.shift();
    if (!next) throw new Error(`unexpected question: ${question.message}`);
    if (!question.message.includes(next.question)) {
      throw new Error(`asked "${question.message}", but the script expected a question with "${next.question}"`);
    }
    // An Error answers by throwing it, as the prompt library does on Ctrl-C (ExitPromptError).
    if (next.answer instanceof Error) throw next.answer;
    return next.answer;
  };
  const names = <T>(choices: Choice<T>[]) => choices.map((c) => c.name);
  return {
    asked,
    remaining,
    select: async (q) => answer({ kind: 'select', message: q.message, choices: names(q.choices), default: q.default }) as never,
    checkbox: async (q) => answer({ kind: 'checkbox', message: q.message, choices: names(q.choices) }) as never,
    confirm: async (q) => answer({ kind: 'confirm', message: q.message, default: q.default }) as boolean,
    input: async (q) => {
      const text = answer({ kind: 'input', message: q.message, default: q.default }) as string;
      const problem = q.validate?.(text);
      if (problem) throw new Error(`scripted input "${text}" was refused: ${problem}`);
      return text;
    },
  };
}

/** Key presses delivered by hand. */
export function createFakeKeys(): {
  keys: { listen(onKey: (key: string) => void): () => void };
  press(key: string): void;
  readonly listening: number;
} {
  const listeners = new Set<(key: string) => void>();
  return {
    keys: {
      listen(onKey) {
        listeners.add(onKey);
        return () => listeners.delete(onKey);
      },
    },
    press: (key) => listeners.forEach((l) => l(key)),
    get listening() {
      return listeners.size;
    },
  };
}
