import { Redis, type Cluster } from 'ioredis';
import type {
  AnonymousReply,
  ConversationRef,
  ErasureReport,
  HoursEntry,
  LocalMessage,
  PersonExport,
  Random,
  RecordOutcome,
  ReplyToRecord,
  Run,
  SentMail,
  Store,
  StoredReply,
  TeamDocument,
  TeamRef,
} from '../../app/ports.ts';
import type { Answers, Platform } from '../../domain/replies/reply.ts';
import { keysFor, teamFromIndexMember, teamIndexMember, teamsIndex } from '../keys.ts';
import { dayStart, decode, encode, fingerprint } from '../values.ts';
import { RECORD_ANONYMOUS, RECORD_NAMED } from './scripts.ts';

type Client = Redis | Cluster;
/** A named reply as stored in its occurrence's hash, under the user id: what the key already says is left out. */
type NamedValue = Answers & { fp: string; platform: Platform; platformUserId: string; at: string };
type AnonymousValue = Answers & { day: string };

/** The Store on Redis (or Redis Cluster) through ioredis; every key name comes from keys.ts. */
export class RedisStore implements Store {
  /** Teams already in the teams index: it lives in another cluster slot, so it is written apart, once per process. */
  private readonly known = new Set<string>();

  constructor(
    private readonly redis: Client,
    private readonly random: Random,
    /** Prefix of every key (default `sb`); tests use their own so they touch nothing else. */
    private readonly namespace?: string,
  ) {
    redis.defineCommand('recordNamedReply', { numberOfKeys: 5, lua: RECORD_NAMED });
    redis.defineCommand('recordAnonymousReply', { numberOfKeys: 3, lua: RECORD_ANONYMOUS });
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
    const member = teamIndexMember(team);
    if (this.known.has(member)) return;
    await this.redis.sadd(teamsIndex(this.namespace), member);
    this.known.add(member);
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
    const { occurrenceId, respondent, answers } = reply;
    if (reply.anonymous) {
      const stored: AnonymousValue = { outcome: answers.outcome, values: answers.values, day: reply.day };
      return (await this.call('recordAnonymousReply', [
        k.respondents(occurrenceId),
        k.anonymous(occurrenceId),
        k.occurrences,
        respondent.userId,
        this.random.id(),
        encode(stored),
        dayStart(reply.day),
        occurrenceId,
      ])) as RecordOutcome;
    }
    const fp = fingerprint(answers);
    const stored: NamedValue = { fp, platform: respondent.platform, platformUserId: respondent.platformUserId, outcome: answers.outcome, values: answers.values, at: reply.at };
    return (await this.call('recordNamedReply', [
      k.replies(occurrenceId),
      k.history(occurrenceId, respondent.userId),
      k.respondents(occurrenceId),
      k.edited(occurrenceId),
      k.occurrences,
      respondent.userId,
      encode(stored),
      fp,
      Date.parse(reply.at),
      occurrenceId,
    ])) as RecordOutcome;
  }

  private call(command: 'recordNamedReply' | 'recordAnonymousReply', args: Array<string | number>): Promise<unknown> {
    // ioredis adds commands made by defineCommand at run time; its types cannot know them.
    return (this.redis as unknown as Record<string, (...a: Array<string | number>) => Promise<unknown>>)[command]!(...args);
  }

  async namedReplies(team: TeamRef, occurrenceId: string) {
    const k = this.keys(team);
    const [stored, edited] = await Promise.all([this.redis.hgetall(k.replies(occurrenceId)), this.redis.smembers(k.edited(occurrenceId))]);
    const histories = new Map(await Promise.all(edited.map(async (userId) => [userId, await this.redis.lrange(k.history(occurrenceId, userId), 0, -1)] as const)));
    return Object.entries(stored)
      .map(([userId, text]) => namedReply(occurrenceId, userId, text, histories.get(userId) ?? []))
      .sort((a, b) => a.at.localeCompare(b.at) || a.respondent.userId.localeCompare(b.respondent.userId));
  }

  async anonymousReplies(team: TeamRef, occurrenceId: string): Promise<AnonymousReply[]> {
    return Object.values(await this.redis.hgetall(this.keys(team).anonymous(occurrenceId))).map((t) => ({ occurrenceId, ...decode<AnonymousValue>(t) }));
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

  /** Where a person appears: occurrences with their named reply, and those where only the "answered" marker is theirs. */
  private async personIn(team: TeamRef, userId: string) {
    const k = this.keys(team);
    const occurrences = (await this.redis.zrange(k.occurrences, '0', '-1')).sort();
    const found = await Promise.all(
      occurrences.map(async (occurrenceId) => {
        const [reply, marked] = await Promise.all([this.redis.hget(k.replies(occurrenceId), userId), this.redis.sismember(k.respondents(occurrenceId), userId)]);
        return { occurrenceId, reply, marked: marked === 1 };
      }),
    );
    return {
      named: found.filter((f) => f.reply !== null) as Array<{ occurrenceId: string; reply: string }>,
      anonymous: found.filter((f) => f.reply === null && f.marked).map((f) => f.occurrenceId),
    };
  }

  async exportPerson(team: TeamRef, userId: string): Promise<PersonExport> {
    const k = this.keys(team);
    const { named, anonymous } = await this.personIn(team, userId);
    const replies = await Promise.all(named.map(async ({ occurrenceId, reply }) => namedReply(occurrenceId, userId, reply, await this.redis.lrange(k.history(occurrenceId, userId), 0, -1))));
    const conversation = await this.getConversation(team, userId);
    const documents = Object.values(await this.redis.hgetall(k.documents)).map((t) => decode<TeamDocument>(t)).filter((d) => d.authorId === userId);
    return {
      team,
      userId,
      replies,
      answeredAnonymously: anonymous,
      conversations: conversation ? [conversation] : [],
      documents,
      hours: (await this.hours(team)).filter((h) => h.userId === userId),
    };
  }

  async erasePerson(team: TeamRef, userId: string): Promise<ErasureReport> {
    const k = this.keys(team);
    const { named, anonymous } = await this.personIn(team, userId);
    const documents = Object.entries(await this.redis.hgetall(k.documents)).filter(([, t]) => decode<TeamDocument>(t).authorId === userId);
    const hours = await this.redis.lrange(k.hours, 0, -1);
    const keptHours = hours.filter((t) => decode<HoursEntry>(t).userId !== userId);
    const hadConversation = (await this.redis.hexists(k.conversations, userId)) === 1;

    const tx = this.redis.multi();
    for (const { occurrenceId } of named) {
      tx.hdel(k.replies(occurrenceId), userId);
      tx.del(k.history(occurrenceId, userId));
      tx.srem(k.edited(occurrenceId), userId);
      tx.srem(k.respondents(occurrenceId), userId);
    }
    for (const occurrenceId of anonymous) tx.srem(k.respondents(occurrenceId), userId);
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
    const before = cutoff.getTime();
    let deleted = 0;
    // Only occurrences whose oldest reply is older than the cut-off can hold a reply to delete.
    for (const occurrenceId of await this.redis.zrangebyscore(k.occurrences, '-inf', `(${before}`)) {
      const named = Object.entries(await this.redis.hgetall(k.replies(occurrenceId))).map(([userId, t]) => ({ userId, time: Date.parse(decode<NamedValue>(t).at) }));
      const anonymous = Object.entries(await this.redis.hgetall(k.anonymous(occurrenceId))).map(([id, t]) => ({ id, time: dayStart(decode<AnonymousValue>(t).day) }));
      const oldNamed = named.filter((r) => r.time < before);
      const oldAnonymous = anonymous.filter((r) => r.time < before);
      const kept = [...named, ...anonymous].map((r) => r.time).filter((time) => time >= before);

      const tx = this.redis.multi();
      for (const { userId } of oldNamed) {
        tx.hdel(k.replies(occurrenceId), userId);
        tx.del(k.history(occurrenceId, userId));
        tx.srem(k.edited(occurrenceId), userId);
        tx.srem(k.respondents(occurrenceId), userId);
      }
      for (const { id } of oldAnonymous) tx.hdel(k.anonymous(occurrenceId), id);
      // Who answered an anonymous occurrence goes with its last answer: the markers cannot be matched to answers.
      if (anonymous.length > 0 && oldAnonymous.length === anonymous.length) tx.del(k.respondents(occurrenceId));
      if (kept.length === 0) tx.zrem(k.occurrences, occurrenceId);
      else tx.zadd(k.occurrences, 'XX', String(Math.min(...kept)), occurrenceId);
      await tx.exec();
      deleted += oldNamed.length + oldAnonymous.length;
    }
    return deleted;
  }

  async saveLocalMessage(team: TeamRef, conversation: string, message: LocalMessage) {
    await this.remember(team);
    await this.redis.hset(this.keys(team).localMessages(conversation), message.id, encode(message));
  }

  async localMessages(team: TeamRef, conversation: string) {
    const messages = Object.values(await this.redis.hgetall(this.keys(team).localMessages(conversation))).map((t) => decode<LocalMessage>(t));
    return messages.sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id, undefined, { numeric: true }));
  }

  async saveLocalMail(team: TeamRef, mail: SentMail) {
    await this.remember(team);
    await this.redis.rpush(this.keys(team).localMails, encode(mail));
  }

  async localMails(team: TeamRef) {
    return (await this.redis.lrange(this.keys(team).localMails, 0, -1)).map((t) => decode<SentMail>(t));
  }

  /** Closing twice is harmless: the CLI closes what it opened, and so may its caller. */
  async close() {
    if (this.redis.status === 'end') return;
    await this.redis.quit();
  }
}

function namedReply(occurrenceId: string, userId: string, text: string, history: string[]): StoredReply {
  const { platform, platformUserId, outcome, values, at } = decode<NamedValue>(text);
  return {
    occurrenceId,
    respondent: { userId, platform, platformUserId },
    outcome,
    values,
    at,
    history: history.map((t) => {
      const earlier = decode<NamedValue>(t);
      return { outcome: earlier.outcome, values: earlier.values, at: earlier.at };
    }),
  };
}
