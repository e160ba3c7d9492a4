import { Redis, type Cluster } from 'ioredis';
import type {
  AnonymousReply,
  ConversationRef,
  ErasureReport,
  HoursEntry,
  PersonExport,
  Random,
  RecordOutcome,
  ReplyToRecord,
  Run,
  Store,
  StoredReply,
  TeamDocument,
  TeamRef,
} from '../../app/ports.ts';
import { anonymousReplyMember, keysFor, namedReplyMember, parseReplyMember, teamsIndex, teamFromIndexMember, teamIndexMember } from '../keys.ts';
import { dayStart, decode, encode, fingerprint } from '../values.ts';
import { RECORD_ANONYMOUS, RECORD_NAMED } from './scripts.ts';

type Client = Redis | Cluster;
type StoredNamed = Omit<StoredReply, 'history'> & { fp: string };

/** The Store on Redis (or Redis Cluster) through ioredis; every key name comes from keys.ts. */
export class RedisStore implements Store {
  constructor(
    private readonly redis: Client,
    private readonly random: Random,
    /** Prefix of every key (default `sb`); tests use their own so they touch nothing else. */
    private readonly namespace?: string,
  ) {
    redis.defineCommand('recordNamedReply', { numberOfKeys: 5, lua: RECORD_NAMED });
    redis.defineCommand('recordAnonymousReply', { numberOfKeys: 4, lua: RECORD_ANONYMOUS });
  }

  static connect(url: string, random: Random, namespace?: string): RedisStore {
    // Commands wait for the connection instead of failing while Redis restarts; a write is only
    // acknowledged to the person once Redis has it.
    return new RedisStore(new Redis(url, { maxRetriesPerRequest: null }), random, namespace);
  }

  private keys(team: TeamRef) {
    return keysFor(team, this.namespace);
  }

  private async remember(team: TeamRef) {
    await this.redis.sadd(teamsIndex(this.namespace), teamIndexMember(team));
  }

  async saveRun(run: Run) {
    await this.remember(run.team);
    await this.redis.set(this.keys(run.team).run, encode(run));
  }

  async getRun(team: TeamRef) {
    const text = await this.redis.get(this.keys(team).run);
    return text ? decode<Run>(text) : undefined;
  }

  async listRuns() {
    const runs = await Promise.all((await this.listTeams()).map((team) => this.getRun(team)));
    return runs.filter((run): run is Run => run !== undefined);
  }

  async listTeams() {
    return (await this.redis.smembers(teamsIndex(this.namespace))).sort().map(teamFromIndexMember);
  }

  async saveConversation(team: TeamRef, ref: ConversationRef) {
    await this.remember(team);
    await this.redis.hset(this.keys(team).conversations, ref.key, encode(ref));
  }

  async getConversation(team: TeamRef, key: string) {
    const text = await this.redis.hget(this.keys(team).conversations, key);
    return text ? decode<ConversationRef>(text) : undefined;
  }

  async recordReply(team: TeamRef, reply: ReplyToRecord): Promise<RecordOutcome> {
    await this.remember(team);
    const k = this.keys(team);
    const { userId } = reply.respondent;
    if (reply.anonymous) {
      const id = this.random.id();
      const stored: AnonymousReply = { occurrenceId: reply.occurrenceId, outcome: reply.answers.outcome, values: reply.answers.values, day: reply.day };
      return (await this.call('recordAnonymousReply', [
        k.respondents(reply.occurrenceId),
        k.anonymous(reply.occurrenceId),
        k.userAnonymous(userId),
        k.replyTimes,
        userId,
        id,
        encode(stored),
        dayStart(reply.day),
        anonymousReplyMember(reply.occurrenceId, id),
        reply.occurrenceId,
      ])) as RecordOutcome;
    }
    const fp = fingerprint(reply.answers);
    const stored: StoredNamed = { occurrenceId: reply.occurrenceId, respondent: reply.respondent, ...reply.answers, at: reply.at, fp };
    return (await this.call('recordNamedReply', [
      k.replies(reply.occurrenceId),
      k.history(reply.occurrenceId, userId),
      k.respondents(reply.occurrenceId),
      k.userReplies(userId),
      k.replyTimes,
      userId,
      encode(stored),
      fp,
      Date.parse(reply.at),
      namedReplyMember(reply.occurrenceId, userId),
      reply.occurrenceId,
    ])) as RecordOutcome;
  }

  private call(command: 'recordNamedReply' | 'recordAnonymousReply', args: Array<string | number>): Promise<unknown> {
    // ioredis adds commands made by defineCommand at run time; its types cannot know them.
    return (this.redis as unknown as Record<string, (...a: Array<string | number>) => Promise<unknown>>)[command]!(...args);
  }

  async namedReplies(team: TeamRef, occurrenceId: string) {
    const k = this.keys(team);
    const stored = Object.values(await this.redis.hgetall(k.replies(occurrenceId))).map((t) => decode<StoredNamed>(t));
    const histories = await Promise.all(stored.map((r) => this.redis.lrange(k.history(occurrenceId, r.respondent.userId), 0, -1)));
    return stored
      .map((r, i) => withHistory(r, histories[i] ?? []))
      .sort((a, b) => a.at.localeCompare(b.at) || a.respondent.userId.localeCompare(b.respondent.userId));
  }

  async anonymousReplies(team: TeamRef, occurrenceId: string) {
    return Object.values(await this.redis.hgetall(this.keys(team).anonymous(occurrenceId))).map((t) => decode<AnonymousReply>(t));
  }

  async respondents(team: TeamRef, occurrenceId: string) {
    return (await this.redis.smembers(this.keys(team).respondents(occurrenceId))).sort();
  }

  async saveDocument(team: TeamRef, document: TeamDocument) {
    await this.remember(team);
    await this.redis.hset(this.keys(team).documents, `${document.kind}|${document.occurrenceId}`, encode(document));
  }

  async getDocument(team: TeamRef, kind: TeamDocument['kind'], occurrenceId: string) {
    const text = await this.redis.hget(this.keys(team).documents, `${kind}|${occurrenceId}`);
    return text ? decode<TeamDocument>(text) : undefined;
  }

  async addHours(team: TeamRef, entry: HoursEntry) {
    await this.remember(team);
    await this.redis.rpush(this.keys(team).hours, encode(entry));
  }

  async hours(team: TeamRef) {
    return (await this.redis.lrange(this.keys(team).hours, 0, -1)).map((t) => decode<HoursEntry>(t));
  }

  async exportPerson(team: TeamRef, userId: string): Promise<PersonExport> {
    const k = this.keys(team);
    const occurrences = (await this.redis.smembers(k.userReplies(userId))).sort();
    const replies = (
      await Promise.all(
        occurrences.map(async (occurrenceId) => {
          const text = await this.redis.hget(k.replies(occurrenceId), userId);
          return text ? withHistory(decode<StoredNamed>(text), await this.redis.lrange(k.history(occurrenceId, userId), 0, -1)) : undefined;
        }),
      )
    ).filter((r): r is StoredReply => r !== undefined);
    const conversation = await this.getConversation(team, userId);
    const documents = Object.values(await this.redis.hgetall(k.documents)).map((t) => decode<TeamDocument>(t)).filter((d) => d.authorId === userId);
    return {
      team,
      userId,
      replies,
      answeredAnonymously: (await this.redis.smembers(k.userAnonymous(userId))).sort(),
      conversations: conversation ? [conversation] : [],
      documents,
      hours: (await this.hours(team)).filter((h) => h.userId === userId),
    };
  }

  async erasePerson(team: TeamRef, userId: string): Promise<ErasureReport> {
    const k = this.keys(team);
    const named = await this.redis.smembers(k.userReplies(userId));
    const anonymous = await this.redis.smembers(k.userAnonymous(userId));
    const documents = Object.entries(await this.redis.hgetall(k.documents)).filter(([, t]) => decode<TeamDocument>(t).authorId === userId);
    const hours = await this.redis.lrange(k.hours, 0, -1);
    const keptHours = hours.filter((t) => decode<HoursEntry>(t).userId !== userId);
    const hadConversation = (await this.redis.hexists(k.conversations, userId)) === 1;

    const tx = this.redis.multi();
    for (const occurrenceId of named) {
      tx.hdel(k.replies(occurrenceId), userId);
      tx.del(k.history(occurrenceId, userId));
      tx.srem(k.respondents(occurrenceId), userId);
      tx.zrem(k.replyTimes, namedReplyMember(occurrenceId, userId));
    }
    for (const occurrenceId of anonymous) tx.srem(k.respondents(occurrenceId), userId);
    tx.del(k.userReplies(userId), k.userAnonymous(userId));
    tx.hdel(k.conversations, userId);
    for (const [field, text] of documents) tx.hset(k.documents, field, encode({ ...decode<TeamDocument>(text), authorId: null }));
    if (keptHours.length !== hours.length) {
      tx.del(k.hours);
      if (keptHours.length > 0) tx.rpush(k.hours, ...keptHours);
    }
    await tx.exec();
    return {
      replies: named.length,
      anonymousMarkers: anonymous.length,
      conversations: hadConversation ? 1 : 0,
      documentsUnlinked: documents.length,
      hoursEntries: hours.length - keptHours.length,
    };
  }

  async deleteRepliesBefore(team: TeamRef, cutoff: Date): Promise<number> {
    const k = this.keys(team);
    const members = await this.redis.zrangebyscore(k.replyTimes, '-inf', `(${cutoff.getTime()}`);
    if (members.length === 0) return 0;
    const tx = this.redis.multi();
    const anonymousOccurrences = new Set<string>();
    for (const member of members) {
      const { kind, occurrenceId, id } = parseReplyMember(member);
      if (kind === 'a') {
        tx.hdel(k.anonymous(occurrenceId), id);
        anonymousOccurrences.add(occurrenceId);
      } else {
        tx.hdel(k.replies(occurrenceId), id);
        tx.del(k.history(occurrenceId, id));
        tx.srem(k.respondents(occurrenceId), id);
        tx.srem(k.userReplies(id), occurrenceId);
      }
      tx.zrem(k.replyTimes, member);
    }
    await tx.exec();
    // Who answered an anonymous occurrence goes when its last answer goes: the markers cannot be matched to answers.
    for (const occurrenceId of anonymousOccurrences) {
      if ((await this.redis.hlen(k.anonymous(occurrenceId))) > 0) continue;
      const users = await this.redis.smembers(k.respondents(occurrenceId));
      const cleanup = this.redis.multi().del(k.respondents(occurrenceId));
      for (const userId of users) cleanup.srem(k.userAnonymous(userId), occurrenceId);
      await cleanup.exec();
    }
    return members.length;
  }

  /** Closing twice is harmless: the CLI closes what it opened, and so may its caller. */
  async close() {
    if (this.redis.status === 'end') return;
    await this.redis.quit();
  }
}

function withHistory(stored: StoredNamed, history: string[]): StoredReply {
  const { fp: _fp, ...reply } = stored;
  return {
    ...reply,
    history: history.map((t) => {
      const { outcome, values, at } = decode<StoredNamed>(t);
      return { outcome, values, at };
    }),
  };
}
