import type {
  ConversationRef,
  ConversationStore,
  DocumentStore,
  DueIndex,
  HoursEntry,
  HoursStore,
  LocalMessage,
  LocalTranscriptStore,
  Member,
  MemberStore,
  PersonalDataPart,
  PersonalDataRegistry,
  ReminderMute,
  ReminderStore,
  ReplyStore,
  ReplyToRecord,
  Run,
  RunStore,
  SentMail,
  SlackInstallationRecord,
  SlackInstallationStore,
  Snooze,
  StoreImplementation,
  TeamDocument,
  TeamRef,
} from '../app/ports.ts';

/** One object per port; those that keep anything about a person also give their part of export and erase. */
export interface StoreParts {
  runs: RunStore;
  due: DueIndex;
  members: MemberStore & PersonalDataRegistry;
  conversations: ConversationStore & PersonalDataRegistry;
  replies: ReplyStore & PersonalDataRegistry;
  documents: DocumentStore & PersonalDataRegistry;
  hours: HoursStore & PersonalDataRegistry;
  reminders: ReminderStore & PersonalDataRegistry;
  slackInstallations: SlackInstallationStore & PersonalDataRegistry;
  transcript: LocalTranscriptStore & PersonalDataRegistry;
}

/**
 * The whole store made of its ports, the same for Redis and the embedded file: the app is handed the
 * whole store or a single port, and each implementation only says how it builds its parts and closes.
 */
export abstract class ComposedStore implements StoreImplementation {
  private readonly parts: StoreParts;
  constructor(parts: StoreParts) {
    this.parts = parts;
  }

  abstract close(): Promise<void>;
  abstract reachable(): boolean;

  /**
   * Every write that can bring a run's next due time forward marks it due in the scheduler's index, after the
   * write: a tick that reads the index after this reads the new run. (A process that dies between the two leaves
   * the change to the start-up reindex; see DueIndex.)
   */
  async saveRun(run: Run) {
    await this.parts.runs.saveRun(run);
    await this.parts.due.markDue(run.team);
  }
  getRun(team: TeamRef) {
    return this.parts.runs.getRun(team);
  }
  listRuns() {
    return this.parts.runs.listRuns();
  }
  listTeams() {
    return this.parts.runs.listTeams();
  }

  dueRuns(nowMs: number) {
    return this.parts.due.dueRuns(nowMs);
  }
  reschedule(team: TeamRef, revision: number, nextMs: number | undefined) {
    return this.parts.due.reschedule(team, revision, nextMs);
  }
  markDue(team: TeamRef, atMs?: number) {
    return this.parts.due.markDue(team, atMs);
  }
  markAllDue() {
    return this.parts.due.markAllDue();
  }
  dueAt(team: TeamRef) {
    return this.parts.due.dueAt(team);
  }

  /** A new member or role can add an audience to plan for (an hours warning): marked due, as a saved run. */
  async saveMember(team: TeamRef, member: Member) {
    await this.parts.members.saveMember(team, member);
    await this.parts.due.markDue(team);
  }
  async removeMember(team: TeamRef, userId: string) {
    const removed = await this.parts.members.removeMember(team, userId);
    if (removed) await this.parts.due.markDue(team);
    return removed;
  }
  members(team: TeamRef) {
    return this.parts.members.members(team);
  }

  saveConversation(team: TeamRef, ref: ConversationRef) {
    return this.parts.conversations.saveConversation(team, ref);
  }
  getConversation(team: TeamRef, key: string) {
    return this.parts.conversations.getConversation(team, key);
  }

  recordReply(team: TeamRef, reply: ReplyToRecord) {
    return this.parts.replies.recordReply(team, reply);
  }
  namedReplies(team: TeamRef, occurrenceId: string) {
    return this.parts.replies.namedReplies(team, occurrenceId);
  }
  anonymousReplies(team: TeamRef, occurrenceId: string) {
    return this.parts.replies.anonymousReplies(team, occurrenceId);
  }
  respondents(team: TeamRef, occurrenceId: string) {
    return this.parts.replies.respondents(team, occurrenceId);
  }
  hasAnswered(team: TeamRef, occurrenceId: string, userIds: readonly string[]) {
    return this.parts.replies.hasAnswered(team, occurrenceId, userIds);
  }
  deleteRepliesBefore(team: TeamRef, cutoff: Date) {
    return this.parts.replies.deleteRepliesBefore(team, cutoff);
  }

  saveDocument(team: TeamRef, document: TeamDocument) {
    return this.parts.documents.saveDocument(team, document);
  }
  getDocument(team: TeamRef, kind: TeamDocument['kind'], occurrenceId: string) {
    return this.parts.documents.getDocument(team, kind, occurrenceId);
  }
  documentVersions(team: TeamRef, kind: TeamDocument['kind'], occurrenceId: string) {
    return this.parts.documents.documentVersions(team, kind, occurrenceId);
  }

  addHours(team: TeamRef, entry: HoursEntry) {
    return this.parts.hours.addHours(team, entry);
  }
  correctHours(team: TeamRef, correction: { userId: string; occurrenceId: string; hours: number; at: string }) {
    return this.parts.hours.correctHours(team, correction);
  }
  hours(team: TeamRef) {
    return this.parts.hours.hours(team);
  }
  deleteHoursBefore(team: TeamRef, cutoff: Date) {
    return this.parts.hours.deleteHoursBefore(team, cutoff);
  }

  muteReminders(team: TeamRef, mute: ReminderMute) {
    return this.parts.reminders.muteReminders(team, mute);
  }
  unmuteReminders(team: TeamRef, userId: string) {
    return this.parts.reminders.unmuteReminders(team, userId);
  }
  reminderMutes(team: TeamRef) {
    return this.parts.reminders.reminderMutes(team);
  }
  snoozes(team: TeamRef) {
    return this.parts.reminders.snoozes(team);
  }
  /** Due when the reminder comes again (or earlier, if the run already was). */
  async snoozeReminder(team: TeamRef, snooze: Snooze) {
    await this.parts.reminders.snoozeReminder(team, snooze);
    await this.parts.due.markDue(team, Date.parse(snooze.until));
  }
  takeDueSnoozes(team: TeamRef, nowMs: number) {
    return this.parts.reminders.takeDueSnoozes(team, nowMs);
  }
  dropSnooze(team: TeamRef, userId: string, occurrenceId: string) {
    return this.parts.reminders.dropSnooze(team, userId, occurrenceId);
  }
  deleteReminderRecordsBefore(team: TeamRef, cutoff: Date, current?: { programmeId: string; start: string }) {
    return this.parts.reminders.deleteReminderRecordsBefore(team, cutoff, current);
  }

  saveSlackInstallation(record: SlackInstallationRecord) {
    return this.parts.slackInstallations.saveSlackInstallation(record);
  }
  getSlackInstallation(key: string) {
    return this.parts.slackInstallations.getSlackInstallation(key);
  }
  deleteSlackInstallation(key: string) {
    return this.parts.slackInstallations.deleteSlackInstallation(key);
  }

  saveLocalMessage(team: TeamRef, conversation: string, message: LocalMessage) {
    return this.parts.transcript.saveLocalMessage(team, conversation, message);
  }
  localMessages(team: TeamRef, conversation: string) {
    return this.parts.transcript.localMessages(team, conversation);
  }
  saveLocalMail(team: TeamRef, mail: SentMail) {
    return this.parts.transcript.saveLocalMail(team, mail);
  }
  localMails(team: TeamRef) {
    return this.parts.transcript.localMails(team);
  }
  deleteLocalBefore(team: TeamRef, cutoff: Date, conversations?: string[]) {
    return this.parts.transcript.deleteLocalBefore(team, cutoff, conversations);
  }

  /**
   * The member entry goes last: the transcript finds the person's mails by the address in it.
   * A port that keeps anything about a person must add its parts here (the contract test checks).
   */
  personalDataParts(): PersonalDataPart[] {
    const { replies, conversations, documents, hours, reminders, slackInstallations, transcript, members } = this.parts;
    return [replies, conversations, documents, hours, reminders, slackInstallations, transcript, members].flatMap((part) => part.personalDataParts());
  }
}
