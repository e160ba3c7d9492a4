import { Redis } from 'ioredis';
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
import { RedisConversations } from './redis-conversations.ts';
import { RedisDocuments } from './redis-documents.ts';
import { RedisHours } from './redis-hours.ts';
import { RedisLocalTranscript } from './redis-local-transcript.ts';
import { RedisMembers } from './redis-members.ts';
import { RedisReplies } from './redis-replies.ts';
import { RedisRuns } from './redis-runs.ts';
import { RedisTeams, type Client } from './redis-team.ts';

/**
 * The store on Redis (or Redis Cluster) through ioredis: one object per port, on one connection,
 * composed here so the app can be handed the whole store or a single port. Every key name comes
 * from keys.ts.
 */
export class RedisStore implements StoreImplementation {
  private readonly teams: RedisTeams;
  private readonly runs: RedisRuns;
  private readonly memberEntries: RedisMembers;
  private readonly conversations: RedisConversations;
  private readonly replies: RedisReplies;
  private readonly documents: RedisDocuments;
  private readonly ledger: RedisHours;
  private readonly transcript: RedisLocalTranscript;

  constructor(
    private readonly redis: Client,
    random: Random,
    /** Prefix of every key (default `sb`); tests use their own so they touch nothing else. */
    namespace?: string,
  ) {
    this.teams = new RedisTeams(redis, namespace);
    this.memberEntries = new RedisMembers(this.teams);
    this.runs = new RedisRuns(this.teams, this.memberEntries);
    this.conversations = new RedisConversations(this.teams);
    this.replies = new RedisReplies(this.teams, random);
    this.documents = new RedisDocuments(this.teams);
    this.ledger = new RedisHours(this.teams);
    this.transcript = new RedisLocalTranscript(this.teams, this.memberEntries);
  }

  static connect(url: string, random: Random, namespace?: string): RedisStore {
    // Commands wait for the connection instead of failing while Redis restarts; a write is only
    // acknowledged to the person once Redis has it.
    return new RedisStore(new Redis(url, { maxRetriesPerRequest: null }), random, namespace);
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

  /** Closing twice is harmless: the CLI closes what it opened, and so may its caller. */
  async close() {
    if (this.redis.status === 'end') return;
    await this.redis.quit();
  }
}
