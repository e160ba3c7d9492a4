import type { Role } from '../../domain/programme/schema.ts';
import type { ConversationRef, TeamRef } from '../ports.ts';

// A team's run, its members and where their cards go, and the scheduler's index of when each run is next due.

/** One person in a team's run, with their roles. */
export interface Member {
  userId: string;
  roles: Role[];
  name?: string;
  email?: string;
}

/** A team's run of a programme: what the scheduler plans from. */
export interface Run {
  team: TeamRef;
  programmeId: string;
  start: string;
  settings: Record<string, string>;
  timeZone: string;
  country: 'DK' | 'SE';
  locale: 'da' | 'sv' | 'en';
  active: boolean;
  /**
   * Who takes part, with their roles: the scheduler sends each occurrence to the members of its
   * audience. Read from the member entries (see MemberStore), in the order they were first added.
   */
  members: Member[];
  /** The conversation key of the team channel, where summaries go. */
  channelKey?: string;
  /** The run's own calendar: see RunCalendar in domain/timeline/types.ts. */
  calendar?: { kind?: 'school' | 'workplace'; sportlovWeek?: number; closed?: string[]; fixed?: Record<string, string> };
}

export interface RunStore {
  /**
   * Stores the run's own fields and adds or updates each member it carries, one by one. It never
   * removes a member: two installs saving at once, each with a member the other has not seen,
   * both keep theirs. Removing is `MemberStore.removeMember`.
   */
  saveRun(run: Run): Promise<void>;
  getRun(team: TeamRef): Promise<Run | undefined>;
  listRuns(): Promise<Run[]>;
  /** Teams whose data is in the store, for the CLI and the retention sweep. */
  listTeams(): Promise<TeamRef[]>;
}

/** A run in the scheduler's due-time index, as a tick reads it. */
export interface DueRun {
  team: TeamRef;
  /** When something of the run is due (ms since the epoch); 0 for a run marked to be computed again. */
  dueMs: number;
  /** The run's revision when this was read: a later change makes `reschedule` with this revision a no-op. */
  revision: number;
}

/**
 * The scheduler's index of when each run next has something due: its earliest unfired send, monthly digest,
 * hours booking or warning, or snoozed reminder (src/scheduler/next-due.ts). A tick reads only the runs due by
 * now, instead of every run. The store marks a run due itself whenever something that can bring its time
 * forward is written (`saveRun`, `saveMember`, `removeMember`, `snoozeReminder`), so no caller has to remember.
 * The index may say a run is due when it is not (the tick then finds nothing and writes the right time); it must
 * never say a run is due later than it is, or a send would be skipped: so every write that could be based on
 * old data is conditional on the run's revision, and the one that cannot be is `markDue`, which only moves a
 * time earlier.
 */
export interface DueIndex {
  /** The runs due at or before `nowMs`, earliest first, each with the revision it had when read. */
  dueRuns(nowMs: number): Promise<DueRun[]>;
  /**
   * Sets when the run is next due (`undefined`: nothing more, so it leaves the index), as the tick worked it out
   * from what it read after `dueRuns` gave it `revision`. True if written; false (nothing changed) when the run
   * was marked due since, as the time was worked out from data that may be out of date.
   */
  reschedule(team: TeamRef, revision: number, nextMs: number | undefined): Promise<boolean>;
  /** The run is due at `atMs` at the latest (default 0: at the next tick, whatever its clock), and its revision moves on. */
  markDue(team: TeamRef, atMs?: number): Promise<void>;
  /**
   * Every run in the store marked due: at start-up, since a deploy may have changed a programme file or the
   * planner, and with it every run's times. Returns how many.
   */
  markAllDue(): Promise<number>;
  /** When the run is next due, if it is in the index. */
  dueAt(team: TeamRef): Promise<number | undefined>;
}

/** A team's members, each its own entry, so concurrent changes to different members never collide. */
export interface MemberStore {
  /** Adds the member, or replaces the entry of the same user id; other members are untouched. */
  saveMember(team: TeamRef, member: Member): Promise<void>;
  /** True when there was such a member. */
  removeMember(team: TeamRef, userId: string): Promise<boolean>;
  /** In the order they were first added. */
  members(team: TeamRef): Promise<Member[]>;
}

export interface ConversationStore {
  saveConversation(team: TeamRef, ref: ConversationRef): Promise<void>;
  getConversation(team: TeamRef, key: string): Promise<ConversationRef | undefined>;
}
