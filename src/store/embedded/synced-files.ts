// The embedded store's file operations that must survive a crash or a power cut: written and synced before a
// rename, the folder synced after one, the previous version kept beside it.
import { closeSync, copyFileSync, fsyncSync, linkSync, openSync, renameSync, truncateSync, unlinkSync, writeSync } from 'node:fs';

/** Written and synced to the disk before it is renamed into place. */
export function writeSynced(path: string, text: string) {
  const fd = openSync(path, 'w');
  try {
    const bytes = Buffer.from(text);
    for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** `copy` becomes what `from` is now (a hard link, else a synced copy), in one rename; nothing when `from` does not exist. */
export function replaceWithCopy(from: string, copy: string) {
  const aside = `${copy}.${process.pid}.tmp`;
  unlinkQuietly(aside);
  try {
    linkSync(from, aside);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    if (code === 'EEXIST') throw error;
    // A file system without hard links.
    copyFileSync(from, aside);
    const fd = openSync(aside, 'r+');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
  renameSync(aside, copy);
}

export function syncFolder(folder: string) {
  const fd = openSync(folder, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function emptyJournal(journal: string) {
  try {
    truncateSync(journal, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

export function unlinkQuietly(path: string) {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
