import type {
  ConversationRef,
  HoursEntry,
  LocalMessage,
  Member,
  PersonalDataPart,
  Random,
  ReplyToRecord,
  Run,
  SentMail,
  StoreImplementation,
  TeamDocument,
  TeamRef,
} from '../../app/ports.ts';
import { EmbeddedConversations } from './embedded-conversations.ts';
import { EmbeddedData } from './embedded-data.ts';
import { EmbeddedDocuments } from './embedded-documents.ts';
import { EmbeddedHours } from './embedded-hours.ts';
import { EmbeddedLocalTranscript } from './embedded-local-transcript.ts';
import { EmbeddedMembers } from './embedded-members.ts';
import { EmbeddedReplies } from './embedded-replies.ts';
import { EmbeddedRuns } from './embedded-runs.ts';
import { MemoryClaims } from './memory-delivery.ts';

/**
 * The store for a machine with no Redis (the playground, a trial): one object per port over one
 * JSON file (see EmbeddedData), composed here. Single process only; the Redis store is for replicas.
 */
export class EmbeddedStore implements StoreImplementation {
  /** The scheduler's claims, with what has fired kept in this store's file, so a restart posts nothing twice. */
  readonly claims: MemoryClaims;

  private readonly runs: EmbeddedRuns;
  private readonly memberEntries: EmbeddedMembers;
  private readonly conversations: EmbeddedConversations;
  private readonly replies: EmbeddedReplies;
  private readonly documents: EmbeddedDocuments;
  private readonly ledger: EmbeddedHours;
  private readonly transcript: EmbeddedLocalTranscript;

  /** `file` undefined keeps everything in memory only (tests). */
  constructor(file: string | undefined, random: Random) {
    const data = new EmbeddedData(file);
    this.memberEntries = new EmbeddedMembers(data);
    this.runs = new EmbeddedRuns(data, this.memberEntries);
    this.conversations = new EmbeddedConversations(data);
    this.replies = new EmbeddedReplies(data, random);
    this.documents = new EmbeddedDocuments(data);
    this.ledger = new EmbeddedHours(data);
    this.transcript = new EmbeddedLocalTranscript(data, this.memberEntries);
    this.claims = new MemoryClaims({
      has: (team, occurrenceId) => data.peek(team)?.fired?.includes(occurrenceId) ?? false,
      add: (team, occurrenceId) => {
        const stored = data.team(team);
        stored.fired = [...new Set([...(stored.fired ?? []), occurrenceId])];
        data.persist();
      },
      all: (team) => new Set(data.peek(team)?.fired ?? []),
    });
  }

  saveRun(run: Run) {
    return this.runs.saveRun(run);
  }
  getRun(team: TeamRef) {
    return this.runs.getRun(team);
  }
  listRuns() {
    return this.runs.listRuns();
  }
  listTeams() {
    return this.runs.listTeams();
  }

  saveMember(team: TeamRef, member: Member) {
    return this.memberEntries.saveMember(team, member);
  }
  removeMember(team: TeamRef, userId: string) {
    return this.memberEntries.removeMember(team, userId);
  }
  members(team: TeamRef) {
    return this.memberEntries.members(team);
  }

  saveConversation(team: TeamRef, ref: ConversationRef) {
    return this.conversations.saveConversation(team, ref);
  }
  getConversation(team: TeamRef, key: string) {
    return this.conversations.getConversation(team, key);
  }

  recordReply(team: TeamRef, reply: ReplyToRecord) {
    return this.replies.recordReply(team, reply);
  }
  namedReplies(team: TeamRef, occurrenceId: string) {
    return this.replies.namedReplies(team, occurrenceId);
  }
  anonymousReplies(team: TeamRef, occurrenceId: string) {
    return this.replies.anonymousReplies(team, occurrenceId);
  }
  respondents(team: TeamRef, occurrenceId: string) {
    return this.replies.respondents(team, occurrenceId);
  }
  deleteRepliesBefore(team: TeamRef, cutoff: Date) {
    return this.replies.deleteRepliesBefore(team, cutoff);
  }

  saveDocument(team: TeamRef, document: TeamDocument) {
    return this.documents.saveDocument(team, document);
  }
  getDocument(team: TeamRef, kind: TeamDocument['kind'], occurrenceId: string) {
    return this.documents.getDocument(team, kind, occurrenceId);
  }

  addHours(team: TeamRef, entry: HoursEntry) {
    return this.ledger.addHours(team, entry);
  }
  hours(team: TeamRef) {
    return this.ledger.hours(team);
  }

  saveLocalMessage(team: TeamRef, conversation: string, message: LocalMessage) {
    return this.transcript.saveLocalMessage(team, conversation, message);
  }
  localMessages(team: TeamRef, conversation: string) {
    return this.transcript.localMessages(team, conversation);
  }
  saveLocalMail(team: TeamRef, mail: SentMail) {
    return this.transcript.saveLocalMail(team, mail);
  }
  localMails(team: TeamRef) {
    return this.transcript.localMails(team);
  }

  /**
   * The member entry goes last: the transcript finds the person's mails by the address in it.
   * A port that keeps anything about a person must add its parts here (the contract test checks).
   */
  personalDataParts(): PersonalDataPart[] {
    return [
      ...this.replies.personalDataParts(),
      ...this.conversations.personalDataParts(),
      ...this.documents.personalDataParts(),
      ...this.ledger.personalDataParts(),
      ...this.transcript.personalDataParts(),
      ...this.memberEntries.personalDataParts(),
    ];
  }

  async close() {}
}
