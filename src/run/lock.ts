// One run at a time per store and action, so overlapping cron runs never race over the same orders.
//
// A lock is `<stateDir>/locks/<key>.lock` holding its owner as JSON. It is created complete and
// exclusively (written to a private file, then hard-linked into place: link fails if the name
// exists), so nobody ever reads a half-written lock. A lock whose owner died on this host is stale
// and taken over; one from another host is never taken over, as its owner's liveness cannot be
// checked from here. Taking over happens under a guard file, so of several runs that find the same
// stale lock exactly one wins: the others find the guard, or find the lock changed once they hold it.

import { link, mkdir, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { ExitCode, ExpectedError } from '../errors.js';

export interface LockInfo {
  runId: string;
  pid: number;
  host: string;
  /** ISO 8601. */
  startedAt: string;
}

/**
 * Whether a process of this host is running. The real one is `process.kill(pid, 0)`: no error or
 * EPERM (someone else's process) mean alive, ESRCH means gone.
 */
export type IsAlive = (pid: number) => boolean;

interface LockFile extends LockInfo {
  key: string;
}

export class Lock {
  constructor(
    readonly path: string,
    readonly info: LockInfo,
    /** The dead run whose lock this one replaced, if any (worth a line in the log). */
    readonly tookOverFrom: LockInfo | undefined,
  ) {}

  /** Removes the lock unless it is no longer ours. */
  async release(): Promise<void> {
    const holder = await readLockFile(this.path);
    if (typeof holder === 'object' && sameOwner(holder, this.info)) await removeIfPresent(this.path);
  }
}

/**
 * Refused because another run holds the lock. Exit code 2, like other refusals to start: nothing was
 * done, and the message says why. 1 would read as a bug and 3 as failed orders in cron logs.
 */
export class RunLockedError extends ExpectedError {
  override readonly name = 'RunLockedError';
  readonly exitCode = ExitCode.Usage;

  constructor(
    message: string,
    hint: string,
    /** Absent when the lock file could not be read. */
    readonly holder: LockInfo | undefined,
  ) {
    super(message, hint);
  }
}

/** `key` names what is locked, e.g. `shop.myshopify.com:cancel`. */
export async function acquireLock(stateDir: string, key: string, info: LockInfo, isAlive: IsAlive): Promise<Lock> {
  const dir = join(stateDir, 'locks');
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${fileNameFor(key)}.lock`);
  const mine: LockFile = { key, runId: info.runId, pid: info.pid, host: info.host, startedAt: info.startedAt };
  const isStale = (holder: LockInfo): boolean =>
    holder.host === info.host &&
    // Our own pid in someone else's lock means its process is gone and the pid reused (by us).
    (holder.pid === info.pid ? holder.runId !== info.runId : !isAlive(holder.pid));

  // Each pass either ends or saw the lock change hands, which a few passes outlast.
  for (let pass = 0; pass < 5; pass++) {
    if (await createExclusively(path, mine)) return new Lock(path, info, undefined);
    const holder = await readLockFile(path);
    if (holder === 'missing') continue;
    if (holder === 'unreadable') throw unreadableLock(key, path);
    if (!isStale(holder)) throw lockedBy(key, holder, path, info.host);
    const took = await takeOver(path, holder, mine, isStale);
    if (took) return new Lock(path, info, holder);
  }
  const holder = await readLockFile(path);
  throw typeof holder === 'object' ? lockedBy(key, holder, path, info.host) : unreadableLock(key, path);
}

/**
 * The locks held now, for `bulkfill runs`: a lock whose owner died on this host is stale, not held; one
 * from another host cannot be checked, so it counts as held.
 */
export async function heldLocks(stateDir: string, host: string, isAlive: IsAlive): Promise<LockInfo[]> {
  const dir = join(stateDir, 'locks');
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const held: LockInfo[] = [];
  for (const name of names.filter((n) => n.endsWith('.lock'))) {
    const holder = await readLockFile(join(dir, name));
    if (typeof holder === 'object' && (holder.host !== host || isAlive(holder.pid))) held.push(holder);
  }
  return held;
}

async function takeOver(path: string, stale: LockInfo, mine: LockFile, isStale: (holder: LockInfo) => boolean): Promise<boolean> {
  const guard = `${path}.takeover`;
  if (!(await createExclusively(guard, mine))) {
    const other = await readLockFile(guard);
    if (other === 'missing') return false;
    if (other === 'unreadable') throw unreadableLock(mine.key, guard);
    if (isStale(other)) {
      // Its owner died in the instant between taking the guard and replacing the lock.
      throw new RunLockedError(
        `A run that was taking over the stale lock for ${mine.key} died: ${describe(other)}.`,
        `If no bulkfill run for ${mine.key} is active, delete ${guard} and ${path}, then try again.`,
        other,
      );
    }
    throw lockedBy(mine.key, other, path, mine.host);
  }
  try {
    const current = await readLockFile(path);
    if (typeof current !== 'object' || !sameOwner(current, stale)) return false;
    const temp = privateName(path, mine);
    await writeFile(temp, JSON.stringify(mine), { flag: 'wx' });
    await rename(temp, path);
    const now = await readLockFile(path);
    return typeof now === 'object' && sameOwner(now, mine);
  } finally {
    await removeIfPresent(guard);
  }
}

/** False if `path` exists. The content is complete the moment the name appears. */
async function createExclusively(path: string, content: LockFile): Promise<boolean> {
  const temp = privateName(path, content);
  await writeFile(temp, JSON.stringify(content), { flag: 'wx' });
  try {
    await link(temp, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await removeIfPresent(temp);
  }
}

async function readLockFile(path: string): Promise<LockFile | 'missing' | 'unreadable'> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw error;
  }
  try {
    const value = JSON.parse(text) as Partial<LockFile> | null;
    const valid =
      typeof value?.runId === 'string' && Number.isSafeInteger(value.pid) && typeof value.host === 'string' && typeof value.startedAt === 'string';
    return valid ? (value as LockFile) : 'unreadable';
  } catch {
    return 'unreadable';
  }
}

function sameOwner(a: LockInfo, b: LockInfo): boolean {
  return a.runId === b.runId && a.pid === b.pid && a.host === b.host && a.startedAt === b.startedAt;
}

function lockedBy(key: string, holder: LockInfo, path: string, host: string): RunLockedError {
  const message = `Another bulkfill run is already working on ${key}: ${describe(holder)}.`;
  const hint =
    holder.host === host
      ? `Wait for it to finish (bulkfill runs show ${holder.runId}) or stop it (kill ${holder.pid}). ` +
        `If pid ${holder.pid} is not bulkfill, delete ${path}.`
      : `bulkfill cannot check a process on another host. If that run is over, delete ${path}.`;
  return new RunLockedError(message, hint, holder);
}

function unreadableLock(key: string, path: string): RunLockedError {
  return new RunLockedError(
    `The lock for ${key} cannot be read: ${path}.`,
    `If no bulkfill run for ${key} is active, delete it and try again.`,
    undefined,
  );
}

function describe(holder: LockInfo): string {
  return `run ${holder.runId}, pid ${holder.pid} on ${holder.host}, started ${holder.startedAt}`;
}

// Lower case (store domains are case-insensitive) and only characters safe in any file system. Keys
// that collide lock together, which errs on the safe side.
function fileNameFor(key: string): string {
  if (key === '') throw new Error('A lock key must not be empty.');
  return key.toLowerCase().replace(/[^a-z0-9.-]+/g, '_');
}

let privateNames = 0;

function privateName(path: string, owner: LockInfo): string {
  return `${path}.${owner.pid}-${owner.runId}-${++privateNames}.tmp`;
}

async function removeIfPresent(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
