// One server at a time on a data file: a lock file naming the process that holds it.
import { linkSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError } from '../../config.ts';
import { unlinkQuietly } from './synced-files.ts';

/**
 * The data file is used by another living process (the server): that process keeps everything in memory
 * and rewrites the file at its next change, so a second writer's change (an erase) would be undone. A
 * ConfigError, so `sparring` and the server each say it in one line.
 */
export class DataFileInUseError extends ConfigError {
  readonly file: string;
  readonly pid: number;
  constructor(file: string, pid: number) {
    super(`${file} is in use by process ${pid} (a running Sparringsbot): stop the server first, then run this again (if no server runs, delete ${file}.lock)`);
    this.file = file;
    this.pid = pid;
  }
}

export interface DataFileLock {
  /** Gives the lock up (the last holder in this process deletes the lock file); releasing twice is harmless. */
  release(): void;
}

/** Locks held by this process, by lock path: a second store on the same file in one process (a test, a restart in place) shares the lock. */
const held = new Map<string, number>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function holderOf(lock: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(lock, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Takes `<file>.lock` for this process: the process that opens the embedded store for writing holds it,
 * with its pid inside, until it closes the store. A lock left by a process that has died is taken over;
 * one held by a living process throws DataFileInUseError and changes nothing.
 */
export function lockDataFile(file: string): DataFileLock {
  const lock = `${resolve(file)}.lock`;
  const count = held.get(lock);
  if (count === undefined) {
    mkdirSync(dirname(lock), { recursive: true });
    // Written aside and then linked into place: the lock file appears whole, with its pid, or not at all.
    const mine = `${lock}.${process.pid}.tmp`;
    writeFileSync(mine, `${process.pid}\n`);
    try {
      for (let attempt = 0; !created(mine, lock); attempt++) {
        const pid = holderOf(lock);
        if (pid !== undefined && pid !== process.pid && alive(pid)) throw new DataFileInUseError(file, pid);
        if (attempt >= 3) throw new DataFileInUseError(file, pid ?? 0);
        // A stale lock (its process died, or an earlier run of this pid): remove it if it is still that one, and try again.
        if (holderOf(lock) === pid) unlinkQuietly(lock);
      }
    } finally {
      unlinkQuietly(mine);
    }
  }
  held.set(lock, (count ?? 0) + 1);
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      const left = (held.get(lock) ?? 1) - 1;
      if (left > 0) {
        held.set(lock, left);
        return;
      }
      held.delete(lock);
      if (holderOf(lock) === process.pid) unlinkQuietly(lock);
    },
  };
}

/** Links `from` to `to` (on a file system without hard links, writes `to` exclusively): false when `to` exists already. */
function created(from: string, to: string): boolean {
  const exists = (error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  };
  try {
    linkSync(from, to);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    try {
      writeFileSync(to, readFileSync(from), { flag: 'wx' });
      return true;
    } catch (again) {
      return exists(again);
    }
  }
}
