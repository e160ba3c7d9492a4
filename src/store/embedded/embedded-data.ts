import { linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
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
  /** occurrence → random id → reply */
  anonymous: Record<string, Record<string, AnonymousReply>>;
  /** occurrence → user ids who answered */
  respondents: Record<string, string[]>;
  /** user → anonymous occurrences answered */
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
  teams: Record<string, TeamData>;
  /** Slack installations by workspace (or enterprise) id: beside the teams, not in one. Missing in files written before them. */
  slackInstallations?: Record<string, SlackInstallationRecord>;
}

const emptyTeam = (): TeamData => ({ members: [], conversations: {}, named: {}, anonymous: {}, respondents: {}, userAnonymous: {}, documents: {}, hours: [] });
export const clone = <T>(value: T): T => structuredClone(value);

/**
 * Everything in memory, written to one JSON file after every change (to a temporary file, then
 * renamed, so a crash leaves the old or the new file, never half of one). One process only.
 */
export class EmbeddedData {
  private readonly file: string | undefined;
  readonly teams: Record<string, TeamData>;
  /** Slack installations by workspace (or enterprise) id. */
  readonly slackInstallations: Record<string, SlackInstallationRecord>;

  /** `file` undefined keeps everything in memory only (tests). */
  constructor(file: string | undefined) {
    this.file = file;
    const content = file ? readContent(file) : undefined;
    this.teams = content?.teams ?? {};
    this.slackInstallations = content?.slackInstallations ?? {};
  }

  /** The team's data, created empty for a write. */
  team(team: TeamRef): TeamData {
    return (this.teams[teamIndexMember(team)] ??= emptyTeam());
  }

  /** The team's data for a read, without creating it. */
  peek(team: TeamRef): TeamData | undefined {
    return this.teams[teamIndexMember(team)];
  }

  persist() {
    if (!this.file) return;
    mkdirSync(dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify({ v: SCHEMA_VERSION, teams: this.teams, slackInstallations: this.slackInstallations } satisfies FileContent));
    renameSync(temporary, this.file);
  }
}

function readContent(file: string): FileContent | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const content = JSON.parse(text) as FileContent;
  if (!READABLE_SCHEMA_VERSIONS.includes(content.v)) {
    throw new StoredValueError(`${file} has schema version ${String(content.v)}; this release reads ${READABLE_SCHEMA_VERSIONS.join(' and ')}`);
  }
  for (const data of Object.values(content.teams)) migrate(data);
  return content;
}

/** Schema 1 → 2: the members leave the run for entries of their own; the file is written in schema 2 at the next change. */
function migrate(data: TeamData) {
  const legacy = data.run as (RunFields & { members?: Member[] }) | undefined;
  const members = (data.members ??= []);
  if (!legacy?.members) return;
  for (const member of legacy.members) if (!members.some((m) => m.userId === member.userId)) members.push(member);
  delete legacy.members;
}

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

function unlinkQuietly(path: string) {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
