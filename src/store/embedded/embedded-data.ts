import { closeSync, fdatasyncSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SlackInstallationRecord, TeamRef } from '../../app/ports.ts';
import { SCHEMA_VERSION, teamIndexMember } from '../keys.ts';
import { AnonymousAnswers } from './anonymous-answers.ts';
import { type Change, type DataPath, type FileContent, type JournalEntry, readContent, readJournal, type TeamData } from './data-file-format.ts';
import { emptyJournal, replaceWithCopy, syncFolder, writeSynced } from './synced-files.ts';

// The ports and tests import these from here, beside the data itself.
export type { Change, Named } from './data-file-format.ts';
export { DataFileDamagedError } from './data-file-format.ts';

export interface EmbeddedDataOptions {
  /**
   * The journal keeps changes in the order they came, as Redis's AOF does; an anonymous answer is
   * written into the data file, at its random place, and out of the journal at most this long after
   * it came (default a minute).
   */
  anonymousJournalMs?: number;
}

const emptyTeam = (): TeamData => ({ members: [], conversations: {}, named: {}, anonymous: {}, respondents: {}, userAnonymous: {}, documents: {}, hours: [] });
export const clone = <T>(value: T): T => structuredClone(value);

/** Is `value` in the sorted list? */
export function hasSorted(list: readonly string[] | undefined, value: string): boolean {
  if (!list) return false;
  const i = sortedPlace(list, value);
  return list[i] === value;
}

/** Where `value` goes in the sorted list (the first place not before it), by binary search. */
function sortedPlace(list: readonly string[], value: string): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (list[mid]! < value) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Sets an own property, also one named `__proto__` (an id is data, never a prototype). */
function setOwn(container: Record<string, unknown>, key: string, value: unknown) {
  if (key === '__proto__') Object.defineProperty(container, key, { value, enumerable: true, writable: true, configurable: true });
  else container[key] = value;
}

const ownValue = (container: Record<string, unknown>, key: string) => (Object.hasOwn(container, key) ? container[key] : undefined);

/**
 * Everything in memory, kept on disk as a data file and a journal beside it (`<file>.journal`). A
 * change is applied in memory and appended to the journal as one line, synced to the disk before the
 * change is acknowledged, so a write costs what the change is, not what the data is, and survives a
 * power cut. The data file is written whole (to a temporary file, synced, then renamed and the folder
 * synced, so a crash leaves the old or the new one, never half of one) when the journal has grown
 * larger than it, on opening, on closing, after an erasure or a retention sweep (what they remove must
 * leave the disk at once) and soon after an anonymous answer (see EmbeddedDataOptions); the journal
 * then starts empty. The version it replaces is kept as `<file>.bak`, to restore from should the data
 * file be damaged (after a removal the backup is the new version: what was removed leaves it too).
 * Opening reads the data file, then the journal's entries it has not taken in; a last line cut off by
 * a crash is left out (its write was never acknowledged), and a damaged file or line stops it with a
 * DataFileDamagedError. Files of earlier releases (no journal) open as they are. One process only. What the
 * files hold and how they are read back is in data-file-format.ts.
 */
export class EmbeddedData {
  readonly teams: Record<string, TeamData>;
  /** Slack installations by workspace (or enterprise) id. */
  readonly slackInstallations: Record<string, SlackInstallationRecord>;
  private readonly file: string | undefined;
  private readonly journal: string | undefined;
  private readonly anonymousJournalMs: number;
  /** The top of the file, as paths start from it. */
  private readonly root: Record<string, unknown>;
  /** The number of the last journal entry written or read. */
  private entries = 0;
  /** How large the journal and the data file are (in UTF-16 units, near enough to bytes for comparing them). */
  private journalSize = 0;
  private fileSize = 0;
  private anonymousTimer: NodeJS.Timeout | undefined;
  /** The journal, open for appending from the first change on (O_APPEND: emptying it by name elsewhere is seen here). */
  private journalFd: number | undefined;

  /** `file` undefined keeps everything in memory only (tests). */
  constructor(file: string | undefined, options: EmbeddedDataOptions = {}) {
    this.file = file;
    this.journal = file && `${file}.journal`;
    this.anonymousJournalMs = options.anonymousJournalMs ?? 60_000;
    const content = file ? readContent(file) : undefined;
    this.teams = content?.content.teams ?? {};
    this.slackInstallations = content?.content.slackInstallations ?? {};
    this.root = { teams: this.teams, slackInstallations: this.slackInstallations };
    if (!content) return;
    this.entries = content.content.journal ?? 0;
    this.fileSize = content.size;
    const journal = readJournal(this.journal!, this.entries);
    for (const entry of journal.entries) {
      for (const change of entry.c) this.apply(change);
      this.entries = entry.s;
    }
    if (journal.size > 0 || content.migrated) this.rewrite(true);
  }

  /** The team's data, created empty for a write. */
  team(team: TeamRef): TeamData {
    return (this.teams[teamIndexMember(team)] ??= emptyTeam());
  }

  /** The team's data for a read, without creating it. */
  peek(team: TeamRef): TeamData | undefined {
    return this.teams[teamIndexMember(team)];
  }

  /** Where a part of the team's data is, for a change. */
  path(team: TeamRef, ...rest: string[]): DataPath {
    return ['teams', teamIndexMember(team), ...rest];
  }

  /** Applies the changes in memory and appends them to the journal, as one line: all of them or none come back after a crash. */
  change(...changes: Change[]) {
    for (const change of changes) this.apply(change);
    if (!this.journal) return;
    const line = `${JSON.stringify({ s: this.entries + 1, c: changes } satisfies JournalEntry)}\n`;
    this.append(line);
    this.entries++;
    this.journalSize += line.length;
    if (this.journalSize > this.fileSize) this.rewrite(true);
    else if (changes.some((c) => 'shuffleIn' in c)) this.persistSoon();
  }

  /**
   * Writes everything to the data file and empties the journal, the backup too. The ports call it after
   * removing people's data (erasure, retention), which must leave the disk at once, backup included.
   * Costs what the data is.
   */
  persist() {
    this.rewrite(false);
  }

  /** Folds the journal in, if it holds anything, and stops the timer: the data file alone is then the data. */
  close() {
    if (this.journalSize > 0) this.rewrite(true);
    clearTimeout(this.anonymousTimer);
    this.anonymousTimer = undefined;
    if (this.journalFd !== undefined) closeSync(this.journalFd);
    this.journalFd = undefined;
  }

  /** One write of the whole line (a file takes it whole but for a crash, whose torn line opening leaves out). */
  private append(line: string) {
    if (this.journalFd === undefined) {
      mkdirSync(dirname(this.journal!), { recursive: true });
      this.journalFd = openSync(this.journal!, 'a');
    }
    const bytes = Buffer.from(line);
    for (let at = 0; at < bytes.length; ) at += writeSync(this.journalFd, bytes, at);
    // On the disk before the change is acknowledged: a reply the person was thanked for survives a power cut.
    fdatasyncSync(this.journalFd);
  }

  /**
   * Writes everything to the data file and empties the journal. `keepPrevious`: the version replaced
   * stays as `<file>.bak`; otherwise the backup is the new version (after a removal).
   */
  private rewrite(keepPrevious: boolean) {
    clearTimeout(this.anonymousTimer);
    this.anonymousTimer = undefined;
    if (!this.file) return;
    const folder = dirname(this.file);
    mkdirSync(folder, { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    const backup = `${this.file}.bak`;
    const text = JSON.stringify({ v: SCHEMA_VERSION, journal: this.entries, teams: this.teams, slackInstallations: this.slackInstallations } satisfies FileContent);
    writeSynced(temporary, text);
    if (keepPrevious) replaceWithCopy(this.file, backup);
    renameSync(temporary, this.file);
    if (!keepPrevious) replaceWithCopy(this.file, backup);
    // The renames are entries of the folder: synced, the new file is there after a power cut.
    syncFolder(folder);
    // A crash before this point leaves entries the new file has taken in: opening skips them by number.
    emptyJournal(this.journal!);
    this.fileSize = text.length;
    this.journalSize = 0;
  }

  private persistSoon() {
    if (this.anonymousTimer) return;
    this.anonymousTimer = setTimeout(() => {
      this.anonymousTimer = undefined;
      if (this.journalSize > 0) this.rewrite(true);
    }, this.anonymousJournalMs);
    // A store left open in a test or a CLI run does not keep the process alive for it.
    this.anonymousTimer.unref();
  }

  private apply(change: Change) {
    const path = 'set' in change ? change.set : 'unset' in change ? change.unset : 'push' in change ? change.push : 'addSorted' in change ? change.addSorted : change.shuffleIn;
    const key = path.at(-1)!;
    if ('unset' in change) {
      const container = this.containerOf(path, false);
      if (container && Object.hasOwn(container, key)) delete container[key];
      return;
    }
    const container = this.containerOf(path, true)!;
    if ('set' in change) return setOwn(container, key, change.value);
    const current = ownValue(container, key);
    if ('push' in change) {
      if (Array.isArray(current)) current.push(change.value);
      else setOwn(container, key, [change.value]);
    } else if ('addSorted' in change) {
      const list = Array.isArray(current) ? (current as string[]) : [];
      if (list !== current) setOwn(container, key, list);
      const at = sortedPlace(list, change.value);
      if (list[at] !== change.value) list.splice(at, 0, change.value);
    } else {
      const answers = current instanceof AnonymousAnswers ? current : new AnonymousAnswers();
      if (answers !== current) setOwn(container, key, answers);
      answers.insert(change.id, change.value, change.place);
    }
  }

  /** The object (or list) that holds the path's last step; missing steps are created when `create`, a team as an empty team. */
  private containerOf(path: DataPath, create: boolean): Record<string, unknown> | undefined {
    let container = this.root;
    for (let i = 0; i < path.length - 1; i++) {
      const key = path[i]!;
      let next = ownValue(container, key);
      if (next === undefined || next === null) {
        if (!create) return undefined;
        next = i === 1 && path[0] === 'teams' ? emptyTeam() : {};
        setOwn(container, key, next);
      }
      container = next as Record<string, unknown>;
    }
    return container;
  }
}
