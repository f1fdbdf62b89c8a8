// Where bulkfill keeps run journals and locks (state) and profiles (config). Linux and macOS follow
// XDG with the ~/.config and ~/.local/state fallbacks, like gh: terminal users look for dotfiles
// there, not in ~/Library. Windows uses the roaming/local AppData split.

import path from 'node:path';

import type { Env } from './capabilities.js';

const APP = 'bulkfill';

export interface AppDirsInputs {
  env: Env;
  platform: NodeJS.Platform;
  homedir: string;
  cwd: string;
}

export interface AppDirs {
  stateDir: string;
  configDir: string;
}

export function resolveAppDirs({ env, platform, homedir, cwd }: AppDirsInputs): AppDirs {
  const paths = platform === 'win32' ? path.win32 : path.posix;
  // The XDG spec says relative values are invalid and must be ignored.
  const xdg = (name: string): string | undefined => {
    const value = env[name];
    return value && paths.isAbsolute(value) ? paths.join(value, APP) : undefined;
  };
  const windows = platform === 'win32';
  const stateDir =
    (env.BULKFILL_STATE_DIR ? paths.resolve(cwd, env.BULKFILL_STATE_DIR) : undefined) ??
    xdg('XDG_STATE_HOME') ??
    (windows ? paths.join(env.LOCALAPPDATA ?? paths.join(homedir, 'AppData', 'Local'), APP) : paths.join(homedir, '.local', 'state', APP));
  const configDir =
    xdg('XDG_CONFIG_HOME') ??
    (windows ? paths.join(env.APPDATA ?? paths.join(homedir, 'AppData', 'Roaming'), APP) : paths.join(homedir, '.config', APP));
  return { stateDir, configDir };
}
