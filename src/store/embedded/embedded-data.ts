import { closeSync, fdatasyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type {
  AnonymousReply,
  ConversationRef,
  HoursEntry,
  LocalMessage,
  Member,
  ReminderMute,
  Run,
  SentMail,
  SlackInstallationRecord,
  Snooze,
  StoredReply,
  TeamDocument,
  TeamRef,
} from '../../app/ports.ts';
import { ConfigError } from '../../config.ts';
import { READABLE_SCHEMA_VERSIONS, SCHEMA_VERSION, teamIndexMember } from '../keys.ts';
import { StoredValueError } from '../values.ts';
import { emptyJournal, replaceWithCopy, syncFolder, writeSynced } from './synced-files.ts';

export type Named = StoredReply & { fp: string };
export type RunFields = Omit<Run, 'members'>;

/**
 * An anonymous occurrence's answers by their random id, in random order: each new one takes a random
 * place and the one that was there moves to the end (Fisher–Yates, inside out), so the order says
 * nothing about who came when and an answer costs the same however many there are. In the file, an
 * object by id in this order, as before.
 */
export class AnonymousAnswers {
  private entries: Array<[string, AnonymousReply]>;

  constructor(entries: Array<[string, AnonymousReply]> = []) {
    this.entries = entries;
  }

  /** As the file keeps them, in the file's order. */
  static of(answers: Record<string, AnonymousReply>): AnonymousAnswers {
    return new AnonymousAnswers(Object.entries(answers));
  }

  /** `place` in [0, 1), from the store's randomness. */
  insert(id: string, answer: AnonymousReply, place: number) {
    const last = this.entries.push([id, answer]) - 1;
    const at = Math.min(last, Math.floor(place * (last + 1)));
    [this.entries[at], this.entries[last]] = [this.entries[last]!, this.entries[at]!];
  }

  /** The same answers, each at a new random place (an earlier release's, kept in arrival order). */
  reshuffled(next: () => number): AnonymousAnswers {
    const shuffled = new AnonymousAnswers();
    for (const [id, answer] of this.entries) shuffled.insert(id, answer, next());
    return shuffled;
  }

  get size() {
    return this.entries.length;
  }

  values(): AnonymousReply[] {
    return this.entries.map(([, answer]) => answer);
  }

  /** Removes the answers `old` picks; returns how many. */
  deleteWhere(old: (answer: AnonymousReply) => boolean): number {
    const before = this.entries.length;
    this.entries = this.entries.filter(([, answer]) => !old(answer));
    return before - this.entries.length;
  }

  toJSON(): Record<string, AnonymousReply> {
    return Object.fromEntries(this.entries);
  }
}

/** One team's data in the file. Every port of the embedded store keeps its part here. */
export interface TeamData {
  /** The run's own fields; schema 1 kept the members inside, see `migrate`. */
  run?: RunFields;
  /** One entry per member, in the order first added. Missing in schema 1. */
  members?: Member[];
  conversations: Record<string, ConversationRef>;
  /** occurrence → user → reply */
  named: Record<string, Record<string, Named>>;
  /** occurrence → its answers by random id, in random order */
  anonymous: Record<string, AnonymousAnswers>;
  /** occurrence → who answered each anonymous occurrence: keyed markers, sorted, so not in arrival order. Missing in files written before the markers. */
  answered?: Record<string, string[]>;
  /** occurrence → user ids who answered, sorted */
  respondents: Record<string, string[]>;
  /** user → anonymous occurrences answered (releases before the markers; emptied on opening) */
  userAnonymous: Record<string, string[]>;
  documents: Record<string, TeamDocument>;
  /** `kind|occurrence` → every version, oldest first. Missing in files written before versions were kept. */
  documentVersions?: Record<string, TeamDocument[]>;
  hours: HoursEntry[];
  /** conversation → message id → message (the playground) */
  localMessages?: Record<string, Record<string, LocalMessage>>;
  localMails?: SentMail[];
  /** Occurrences fired (the scheduler's claims, done): kept so a restart does not post them again. */
  fired?: string[];
  /** user → their mute of reminders to answer. Missing in files written before reminders. */
  reminderMutes?: Record<string, ReminderMute>;
  /** Reminders to come again (snoozed). Missing in files written before reminders. */
  snoozes?: Snooze[];
}
interface FileContent {
  v: number;
  /** The last journal entry this file has taken in: entries up to it are not applied again. Missing before the journal. */
  journal?: number;
  teams: Record<string, TeamData>;
  /** Slack installations by workspace (or enterprise) id: beside the teams, not in one. Missing in files written before them. */
  slackInstallations?: Record<string, SlackInstallationRecord>;
}

/**
 * Where a change goes, from the top of the file: `['teams', member, part, …]` or
 * `['slackInstallations', key]`. A number in a list is given as a string.
 */
export type DataPath = readonly string[];

/**
 * One change, as it is applied in memory and written to the journal. `addSorted` keeps a sorted list
 * of distinct strings; `shuffleIn` puts an anonymous answer at a random place among its occurrence's.
 */
export type Change =
  | { set: DataPath; value: unknown }
  | { unset: DataPath }
  | { push: DataPath; value: unknown }
  | { addSorted: DataPath; value: string }
  | { shuffleIn: DataPath; id: string; value: AnonymousReply; place: number };

interface JournalEntry {
  /** Its number: one more than the entry before. */
  s: number;
  c: Change[];
}

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
 * DataFileDamagedError. Files of earlier releases (no journal) open as they are. One process only.
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

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function readContent(file: string): { content: FileContent; size: number; migrated: boolean } | undefined {
  const text = readText(file);
  if (text === undefined) return undefined;
  let content: FileContent;
  try {
    content = JSON.parse(text) as FileContent;
    if (typeof content !== 'object' || content === null || typeof content.teams !== 'object' || content.teams === null) throw new Error('no teams');
  } catch {
    throw new DataFileDamagedError(
      file,
      `${file} is damaged (not the data file this bot writes): stop, then restore it from ${file}.bak (the version before its last rewrite), remove ${file}.journal (its changes build on the damaged file) and start again`,
    );
  }
  if (!READABLE_SCHEMA_VERSIONS.includes(content.v)) {
    throw new StoredValueError(`${file} has schema version ${String(content.v)}; this release reads ${READABLE_SCHEMA_VERSIONS.join(' and ')}`);
  }
  let migrated = false;
  for (const data of Object.values(content.teams)) {
    migrated = migrate(data) || migrated;
    const answers = data.anonymous as unknown as Record<string, Record<string, AnonymousReply>>;
    for (const [occurrenceId, byId] of Object.entries(answers)) data.anonymous[occurrenceId] = AnonymousAnswers.of(byId);
    // Looked up by binary search: every release wrote them sorted, this makes sure.
    for (const sorted of [data.respondents, data.answered ?? {}]) for (const list of Object.values(sorted)) list.sort();
  }
  return { content, size: text.length, migrated };
}

/** The journal's entries after `after`, and its size; a last line cut off by a crash is left out. */
function readJournal(journal: string, after: number): { entries: JournalEntry[]; size: number } {
  const text = readText(journal) ?? '';
  const lines = text.split('\n');
  // Whatever follows the last newline was cut off by a crash (or is empty).
  lines.pop();
  const entries: JournalEntry[] = [];
  lines.forEach((line, i) => {
    let entry: JournalEntry;
    try {
      entry = JSON.parse(line) as JournalEntry;
    } catch {
      const file = journal.slice(0, -'.journal'.length);
      throw new DataFileDamagedError(
        journal,
        `${journal} line ${i + 1} is damaged (not a change this release wrote): the lines before it are whole, and so is ${file}; keep a copy, delete the damaged line and those after it (their changes are lost) or restore ${file}.bak without the journal, and start again`,
      );
    }
    if (entry.s > after) entries.push(entry);
  });
  return { entries, size: text.length };
}

/** Schema 1 → 2: the members leave the run for entries of their own; the file is written in schema 2 on opening. Returns whether anything moved. */
function migrate(data: TeamData): boolean {
  const legacy = data.run as (RunFields & { members?: Member[] }) | undefined;
  const members = (data.members ??= []);
  if (!legacy?.members) return false;
  for (const member of legacy.members) if (!members.some((m) => m.userId === member.userId)) members.push(member);
  delete legacy.members;
  return true;
}

/**
 * The data file or its journal cannot be read: opening stops with one line that names the file and what
 * to restore from, and writes nothing (the damaged file stays as it is, to be looked at). A ConfigError,
 * so the server and `sparring` each say it in one line.
 */
export class DataFileDamagedError extends ConfigError {
  readonly file: string;
  constructor(file: string, message: string) {
    super(message);
    this.file = file;
  }
}
