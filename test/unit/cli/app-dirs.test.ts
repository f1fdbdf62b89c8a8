import { describe, expect, it } from 'vitest';

import { resolveAppDirs } from '../../../src/app-dirs.js';

const linux = { platform: 'linux' as const, homedir: '/home/u', cwd: '/work' };

describe('resolveAppDirs', () => {
  it('falls back to ~/.local/state and ~/.config', () => {
    expect(resolveAppDirs({ ...linux, env: {} })).toEqual({
      stateDir: '/home/u/.local/state/bulkfill',
      configDir: '/home/u/.config/bulkfill',
    });
  });

  it('follows absolute XDG variables and ignores relative ones', () => {
    expect(resolveAppDirs({ ...linux, env: { XDG_STATE_HOME: '/s', XDG_CONFIG_HOME: '/c' } })).toEqual({
      stateDir: '/s/bulkfill',
      configDir: '/c/bulkfill',
    });
    expect(resolveAppDirs({ ...linux, env: { XDG_STATE_HOME: 'rel' } }).stateDir).toBe('/home/u/.local/state/bulkfill');
  });

  it('lets BULKFILL_STATE_DIR win, relative to the working directory', () => {
    expect(resolveAppDirs({ ...linux, env: { BULKFILL_STATE_DIR: 'state', XDG_STATE_HOME: '/s' } }).stateDir).toBe('/work/state');
  });

  it('uses the same dotfile locations on macOS', () => {
    expect(resolveAppDirs({ ...linux, platform: 'darwin', homedir: '/Users/u', env: {} }).configDir).toBe('/Users/u/.config/bulkfill');
  });

  it('uses LOCALAPPDATA and APPDATA on Windows', () => {
    const dirs = resolveAppDirs({
      platform: 'win32',
      homedir: 'C:\\Users\\u',
      cwd: 'C:\\work',
      env: { LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local', APPDATA: 'C:\\Users\\u\\AppData\\Roaming' },
    });
    expect(dirs).toEqual({
      stateDir: 'C:\\Users\\u\\AppData\\Local\\bulkfill',
      configDir: 'C:\\Users\\u\\AppData\\Roaming\\bulkfill',
    });
  });
});
