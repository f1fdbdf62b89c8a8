// What the terminal allows: colour and prompts. Pure decisions over the environment, the stream's TTY
// flag and the global flags, so every row of the decision table is a plain unit test.

import type { ColorSupportLevel } from 'chalk';

export type ColorLevel = ColorSupportLevel;
export type Env = Readonly<Record<string, string | undefined>>;

export interface ColorInputs {
  env: Env;
  isTTY: boolean;
  /** False when `--no-color` was given. */
  colorFlag: boolean;
}

/**
 * `--no-color` wins over everything (the most specific intent), then NO_COLOR (any non-empty value),
 * FORCE_COLOR (level 1–3, `0`/`false` = off), TERM=dumb, and finally the stream's TTY flag.
 * On a TTY we use level 1: the UI only needs the basic 16-colour palette.
 */
export function colorLevel({ env, isTTY, colorFlag }: ColorInputs): ColorLevel {
  if (!colorFlag) return 0;
  if (env.NO_COLOR) return 0;
  const forced = forcedLevel(env.FORCE_COLOR);
  if (forced !== undefined) return forced;
  if (env.TERM === 'dumb') return 0;
  return isTTY ? 1 : 0;
}

// Same reading of FORCE_COLOR as chalk's supports-color: empty or "true" = 1, "false" = 0, else a number.
function forcedLevel(value: string | undefined): ColorLevel | undefined {
  if (value === undefined) return undefined;
  if (value === '' || value === 'true') return 1;
  if (value === 'false') return 0;
  const level = Number.parseInt(value, 10);
  if (Number.isNaN(level)) return 1;
  return Math.max(0, Math.min(level, 3)) as ColorLevel;
}

export interface PromptInputs {
  env: Env;
  isStdinTTY: boolean;
  isStderrTTY: boolean;
  /** False when `--no-input` was given. */
  inputFlag: boolean;
}

/** Prompts read stdin and render on stderr, so both must be terminals; CI never gets prompted. */
export function canPrompt({ env, isStdinTTY, isStderrTTY, inputFlag }: PromptInputs): boolean {
  return inputFlag && isStdinTTY && isStderrTTY && !isTruthy(env.CI);
}

function isTruthy(value: string | undefined): boolean {
  if (value === undefined) return false;
  const normalised = value.trim().toLowerCase();
  return normalised !== '' && normalised !== '0' && normalised !== 'false';
}
