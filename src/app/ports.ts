import type { Answers, Platform, Respondent } from '../domain/replies/reply.ts';

/**
 * The interfaces the edges implement. The app talks to storage, clocks and randomness only
 * through these, so a test can run it on a real Redis, on the embedded store, or at a fake time.
 */

export interface Clock {
  now(): Date;
}

/** Structured logs; fields name ids and outcomes, never the content of an answer. */
export interface Logger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/** Ids and shuffles: injected so that tests can repeat a run exactly. */
export interface Random {
  id(): string;
  next(): number;
}

/** One team's data lives under its tenant (the Teams tenant or Slack workspace) and team id. */
export interface TeamRef {
  tenant: string;
  team: string;
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
}

/** Where to post to a person or channel: the platform's own reference, opaque to us. */
export interface ConversationRef {
  platform: Platform;
  /** The person's user id, or `channel:<id>` for the team channel. */
  key: string;
  reference: Record<string, unknown>;
}

/** A named reply as stored: the latest answers and every earlier version, oldest first. */
export interface StoredReply extends Answers {
  occurrenceId: string;
  respondent: Respondent;
  at: string;
  history: Array<Answers & { at: string }>;
}

/** An anonymous reply as stored: the answers and the day, nothing about who. */
export interface AnonymousReply extends Answers {
  occurrenceId: string;
  day: string;
}

export type RecordOutcome =
  /** Stored for the first time. */
  | 'created'
  /** Replaced an earlier reply of the same person (kept in its history). */
  | 'updated'
  /** The same answers again (a double click, a platform retry, a second replica): nothing changed. */
  | 'duplicate'
  /**
   * This person's anonymous reply is already stored, and it cannot be changed: nothing links it to
   * them any more. Also what a resent first submit gets (a platform retry, or ioredis resending a
   * command across a Redis restart), so show it as saved.
   */
  | 'anonymousAlreadyAnswered';

export interface ReplyToRecord {
  occurrenceId: string;
  respondent: Respondent;
  answers: Answers;
  at: string;
  anonymous: boolean;
  /** For anonymous replies: the day in the team's zone, the only time kept. */
  day: string;
}

/** A document a team works on in chat: an I DO ART draft or a handleplan, by occurrence. */
export interface TeamDocument {
  kind: 'idoArt' | 'actionPlan' | 'learningNotes';
  occurrenceId: string;
  authorId: string | null;
  fields: Record<string, string>;
  status: 'draft' | 'approved' | 'sentBack' | 'saved';
  at: string;
}

export interface HoursEntry {
  userId: string;
  occurrenceId: string;
  role: string;
  hours: number;
  at: string;
}

/** Everything stored about one person in one team (`sparring export`). */
export interface PersonExport {
  team: TeamRef;
  userId: string;
  replies: StoredReply[];
  /** Anonymous occurrences the person answered: the marker only, never the answers. */
  answeredAnonymously: string[];
  conversations: ConversationRef[];
  documents: TeamDocument[];
  hours: HoursEntry[];
}

/** What `sparring erase` removed. */
export interface ErasureReport {
  replies: number;
  anonymousMarkers: number;
  conversations: number;
  documentsUnlinked: number;
  hoursEntries: number;
}

export interface Store {
  saveRun(run: Run): Promise<void>;
  getRun(team: TeamRef): Promise<Run | undefined>;
  listRuns(): Promise<Run[]>;

  saveConversation(team: TeamRef, ref: ConversationRef): Promise<void>;
  getConversation(team: TeamRef, key: string): Promise<ConversationRef | undefined>;

  /** Idempotent on (occurrence, respondent); atomic, so two replicas with the same submit store one reply. */
  recordReply(team: TeamRef, reply: ReplyToRecord): Promise<RecordOutcome>;
  namedReplies(team: TeamRef, occurrenceId: string): Promise<StoredReply[]>;
  anonymousReplies(team: TeamRef, occurrenceId: string): Promise<AnonymousReply[]>;
  /** Who has answered (user ids), for named and anonymous occurrences alike: reminders go to the rest. */
  respondents(team: TeamRef, occurrenceId: string): Promise<string[]>;

  saveDocument(team: TeamRef, document: TeamDocument): Promise<void>;
  getDocument(team: TeamRef, kind: TeamDocument['kind'], occurrenceId: string): Promise<TeamDocument | undefined>;

  addHours(team: TeamRef, entry: HoursEntry): Promise<void>;
  hours(team: TeamRef): Promise<HoursEntry[]>;

  exportPerson(team: TeamRef, userId: string): Promise<PersonExport>;
  erasePerson(team: TeamRef, userId: string): Promise<ErasureReport>;
  /** Deletes replies (named and anonymous) written before `cutoff`; returns how many. */
  deleteRepliesBefore(team: TeamRef, cutoff: Date): Promise<number>;
  /** Teams whose data is in the store, for the CLI and the retention sweep. */
  listTeams(): Promise<TeamRef[]>;

  close(): Promise<void>;
}
