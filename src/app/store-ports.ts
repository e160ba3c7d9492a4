import type { Role } from '../domain/programme/schema.ts';
import type { Answers, Respondent } from '../domain/replies/reply.ts';
import type { ConversationRef, Mail, TeamRef } from './ports.ts';

/**
 * The store, as ports that each hold one concept. A use case asks for the one or two it needs, so a
 * test double stays small and a reader sees at a glance what a use case can touch. Both
 * implementations (Redis and the embedded file) implement all of them; see `StoreImplementation`.
 */

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
   * them any more. Erasing the person's data keeps it so (their marker stays). Also what a resent
   * first submit gets (a platform retry, or ioredis resending a command across a Redis restart), so
   * show it as saved.
   */
  | 'anonymousAlreadyAnswered';

export interface ReplyToRecord {
  occurrenceId: string;
  /**
   * For an anonymous reply the store keeps only the person's keyed marker (see anonymous-marker.ts),
   * computed in this process: no user or platform id is stored, logged or sent to Redis with it.
   */
  respondent: Respondent;
  answers: Answers;
  at: string;
  anonymous: boolean;
  /** For anonymous replies: the day in the team's zone, the only time kept. */
  day: string;
}

export interface ReplyStore {
  /** Idempotent on (occurrence, respondent); atomic, so two replicas with the same submit store one reply. */
  recordReply(team: TeamRef, reply: ReplyToRecord): Promise<RecordOutcome>;
  namedReplies(team: TeamRef, occurrenceId: string): Promise<StoredReply[]>;
  anonymousReplies(team: TeamRef, occurrenceId: string): Promise<AnonymousReply[]>;
  /** Who has answered a named occurrence (user ids). An anonymous one keeps no user ids, so none are listed: ask `hasAnswered`. */
  respondents(team: TeamRef, occurrenceId: string): Promise<string[]>;
  /**
   * Which of these people have answered, named or anonymous: reminders go to the rest. For an anonymous
   * occurrence the store computes each one's keyed marker and looks for it.
   */
  hasAnswered(team: TeamRef, occurrenceId: string, userIds: readonly string[]): Promise<Set<string>>;
  /** Deletes replies (named and anonymous) written before `cutoff`; returns how many. */
  deleteRepliesBefore(team: TeamRef, cutoff: Date): Promise<number>;
}

/**
 * A document a team works on in chat: an I DO ART draft, the handleplan (one per team: occurrence id
 * `handleplan`), the notes of a læringssamtale, a Bilag B, a beslutningsreferat; by occurrence.
 */
export interface TeamDocument {
  kind: 'idoArt' | 'actionPlan' | 'learningNotes' | 'preVisitPlan' | 'decisionMinutes';
  occurrenceId: string;
  authorId: string | null;
  fields: Record<string, string>;
  status: 'draft' | 'approved' | 'sentBack' | 'saved';
  at: string;
}

export interface DocumentStore {
  /** Stores it as the latest version and appends it to the document's versions, both at once. */
  saveDocument(team: TeamRef, document: TeamDocument): Promise<void>;
  getDocument(team: TeamRef, kind: TeamDocument['kind'], occurrenceId: string): Promise<TeamDocument | undefined>;
  /** Every version saved, oldest first (the latest is also `getDocument`'s): who changed what, and when. */
  documentVersions(team: TeamRef, kind: TeamDocument['kind'], occurrenceId: string): Promise<TeamDocument[]>;
}

/**
 * The hours one person spent on one occurrence: booked with its planned hours when it has ended, and
 * perhaps corrected by the person since. One entry per (person, occurrence).
 */
export interface HoursEntry {
  userId: string;
  occurrenceId: string;
  /** The person's role in the occurrence (the first of theirs in its audience). */
  role: string;
  /** What counts: the planned hours, or the person's own correction. */
  hours: number;
  /** When it was booked. */
  at: string;
  /** After a correction: the planned hours it replaced, kept beside it. */
  planned?: number;
  /** After a correction: when the person made it (only the person may). */
  correctedAt?: string;
}

export interface HoursStore {
  /**
   * Books the entry unless the person has one for the occurrence: true when it was booked. Booking
   * twice (two replicas, a tick repeated) books once and never undoes a correction.
   */
  addHours(team: TeamRef, entry: HoursEntry): Promise<boolean>;
  /**
   * The person's own correction of their booking: `hours` replaces what counts, the planned hours are kept
   * beside it. False, changing nothing, when the person has no booking for the occurrence.
   */
  correctHours(team: TeamRef, correction: { userId: string; occurrenceId: string; hours: number; at: string }): Promise<boolean>;
  /** Every booking, one per person and occurrence, as corrected; oldest booking first. */
  hours(team: TeamRef): Promise<HoursEntry[]>;
  /** Retention: deletes the bookings last changed (booked, or corrected) before `cutoff`; returns how many. */
  deleteHoursBefore(team: TeamRef, cutoff: Date): Promise<number>;
}

/** A person's "remind me tomorrow" of the reminder to answer one occurrence: it comes again at `until`. */
export interface Snooze {
  userId: string;
  occurrenceId: string;
  /** ISO instant; read back to the millisecond (`toISOString`). */
  until: string;
}

/**
 * A person's "no reminders in this programme": for the team's run of that programme from that start. It keeps no
 * time: muting from a reminder on a day would say the person had not answered that day.
 */
export interface ReminderMute {
  userId: string;
  programmeId: string;
  /** The run's start (YYYY-MM-DD): a later run of the team reminds again. */
  start: string;
}

/** Who does not want reminders to answer, and whose reminder comes again tomorrow. */
export interface ReminderStore {
  /** Adds the person's mute, or replaces theirs. */
  muteReminders(team: TeamRef, mute: ReminderMute): Promise<void>;
  /** True when there was a mute to remove. */
  unmuteReminders(team: TeamRef, userId: string): Promise<boolean>;
  reminderMutes(team: TeamRef): Promise<ReminderMute[]>;
  /** The team's snoozes still to come. */
  snoozes(team: TeamRef): Promise<Snooze[]>;
  /** Adds the person's snooze of the occurrence, or moves theirs to the new time. */
  snoozeReminder(team: TeamRef, snooze: Snooze): Promise<void>;
  /**
   * Deletes and returns the snoozes due by `nowMs` in one step: of replicas asking at once, each snooze goes
   * to one, and none stays behind to say whom it was for.
   */
  takeDueSnoozes(team: TeamRef, nowMs: number): Promise<Snooze[]>;
  /** True when there was such a snooze (the person has answered, so it is not needed). */
  dropSnooze(team: TeamRef, userId: string, occurrenceId: string): Promise<boolean>;
  /** Retention: deletes snoozes due before `cutoff`, and mutes of any run but `current` (all without one); returns how many. */
  deleteReminderRecordsBefore(team: TeamRef, cutoff: Date, current?: { programmeId: string; start: string }): Promise<number>;
}

/** A message in a playground conversation: the card exactly as Teams would get it. */
export interface LocalMessage {
  id: string;
  at: string;
  updatedAt?: string;
  card: Record<string, unknown>;
  text: string;
}

/** A mail the playground "sent" (what would have gone out by SMTP). */
export interface SentMail extends Mail {
  id: string;
  at: string;
}

/** The playground's transcript: what Teams, Slack or SMTP would hold in production, so it is not a production port. */
export interface LocalTranscriptStore {
  /** A message as posted (or replaced), by conversation key. */
  saveLocalMessage(team: TeamRef, conversation: string, message: LocalMessage): Promise<void>;
  localMessages(team: TeamRef, conversation: string): Promise<LocalMessage[]>;
  /** The playground's sent mails, oldest first. */
  saveLocalMail(team: TeamRef, mail: SentMail): Promise<void>;
  localMails(team: TeamRef): Promise<SentMail[]>;
  /**
   * Retention: deletes messages (by their latest version) and mails older than `cutoff`; returns how
   * many. Every member's own conversation is swept; `conversations` adds others (the team channel's).
   */
  deleteLocalBefore(team: TeamRef, cutoff: Date, conversations?: string[]): Promise<number>;
}

/** A Slack workspace's (or Enterprise Grid org's) installation of the app by OAuth: what Bolt needs to act there. */
export interface SlackInstallationRecord {
  /** `T…` workspace id, or `E…` enterprise id for an org-wide install. */
  key: string;
  /** Bolt's Installation object as Bolt gave it (JSON): holds the bot token; never logged. */
  installation: Record<string, unknown>;
  /** Who installed it (Slack user id), for export and erase; absent once erased. */
  installedBy?: string;
  /** ISO time of the install. */
  installedAt: string;
}

/**
 * The app's installations in Slack workspaces, one per workspace (or org), kept in our store so every
 * replica finds the bot token of the workspace it acts in. Not a team's data: keyed by workspace, not
 * by a run. The installer's Slack user id is personal data (the part `slackInstallations`).
 */
export interface SlackInstallationStore {
  /** Adds the installation, or replaces the one of the same key. */
  saveSlackInstallation(record: SlackInstallationRecord): Promise<void>;
  getSlackInstallation(key: string): Promise<SlackInstallationRecord | undefined>;
  /** Returns whether one was removed. */
  deleteSlackInstallation(key: string): Promise<boolean>;
}

/**
 * One port's share of a person's data rights. Every port that keeps anything about a person
 * contributes a part, and `sparring export/erase` only ever go through the list of parts, so a
 * new kind of personal data is exported and erased as soon as its port lists it.
 */
export interface PersonalDataPart {
  /** The field of the export (and the line of the erase report) this part fills. */
  name: string;
  export(team: TeamRef, userId: string): Promise<unknown>;
  /** Returns how many things it removed or unlinked. */
  erase(team: TeamRef, userId: string): Promise<number>;
}

export interface PersonalDataRegistry {
  /** Every part that holds data about a person, in the order they are erased (see each implementation). */
  personalDataParts(): PersonalDataPart[];
}

/** Everything stored about one person in one team, as `sparring export` prints it: one field per part. */
export interface PersonExport {
  team: TeamRef;
  userId: string;
  replies: StoredReply[];
  /** Anonymous occurrences the person answered: the marker only, never the answers. */
  answeredAnonymously: string[];
  conversations: ConversationRef[];
  documents: TeamDocument[];
  hours: HoursEntry[];
  /** The playground's messages to the person and mails to their address. */
  localTranscript: { messages: LocalMessage[]; mails: SentMail[] };
  /** The Slack installations of the team's workspace the person made: who and when, never the installation (it holds the tokens). */
  slackInstallations: Array<{ key: string; installedBy?: string; installedAt: string }>;
  /** Their entry in the team: roles, name, address. */
  member: Member | null;
  /** Whether they turned reminders off, and which reminder they asked to have again tomorrow. */
  reminders: { muted: ReminderMute | null; snoozes: Snooze[] };
}

/** What `sparring erase` removed, as the localized report names it; parts beyond these are listed by name. */
export interface ErasureReport {
  replies: number;
  anonymousMarkers: number;
  conversations: number;
  documentsUnlinked: number;
  hoursEntries: number;
}

export interface Closable {
  /** Closing twice is harmless. */
  close(): Promise<void>;
  /** Whether the store can take a command now (Redis connected); `/readyz` asks. The embedded store always can. */
  reachable(): boolean;
}

/** The store the scheduler, delivery and the use cases see: every port but the playground's transcript. */
export type Store = RunStore & DueIndex & MemberStore & ConversationStore & ReplyStore & DocumentStore & HoursStore & ReminderStore & SlackInstallationStore & Closable;

/** The playground's store: the production ports plus its transcript, which no production code can reach. */
export type PlaygroundStore = Store & LocalTranscriptStore;

/** What RedisStore and EmbeddedStore are: every port, and the registry of personal data. */
export type StoreImplementation = PlaygroundStore & PersonalDataRegistry;
