// The data file's and its journal's format: what they hold (a team's data, a change, a journal line) and how
// opening reads them back (earlier schemas migrated, a line cut off by a crash left out, a damaged file named).
import { readFileSync } from 'node:fs';
import type { AnonymousReply, ConversationRef, HoursEntry, LocalMessage, Member, ReminderMute, Run, SentMail, SlackInstallationRecord, Snooze, StoredReply, TeamDocument } from '../../app/ports.ts';
import { ConfigError } from '../../config.ts';
import { READABLE_SCHEMA_VERSIONS } from '../keys.ts';
import { StoredValueError } from '../values.ts';
import { AnonymousAnswers } from './anonymous-answers.ts';

export type Named = StoredReply & { fp: string };
export type RunFields = Omit<Run, 'members'>;

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
export interface FileContent {
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

export interface JournalEntry {
  /** Its number: one more than the entry before. */
  s: number;
  c: Change[];
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export function readContent(file: string): { content: FileContent; size: number; migrated: boolean } | undefined {
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
export function readJournal(journal: string, after: number): { entries: JournalEntry[]; size: number } {
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
