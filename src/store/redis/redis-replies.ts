import type { ChainableCommander } from 'ioredis';
import type { AnonymousReply, PersonalDataPart, Random, RecordOutcome, ReplyStore, ReplyToRecord, StoredReply, TeamRef } from '../../app/ports.ts';
import type { Answers, Platform } from '../../domain/replies/reply.ts';
import { dayStart, decode, encode, fingerprint } from '../values.ts';
import { script, type RedisTeams, type Script } from './redis-team.ts';
import { RECORD_ANONYMOUS, RECORD_NAMED } from './scripts.ts';

/** A named reply as stored in its occurrence's hash, under the user id: what the key already says is left out. */
type NamedValue = Answers & { fp: string; platform: Platform; platformUserId: string; at: string };
type AnonymousValue = Answers & { day: string };

/**
 * Replies on Redis. Named: a hash per occurrence by user id, earlier versions in a list per person.
 * Anonymous: a hash per occurrence by random id, and who answered in a set apart, linked by nothing.
 */
export class RedisReplies implements ReplyStore {
  private readonly recordNamed: Script;
  private readonly recordAnonymous: Script;

  constructor(
    private readonly teams: RedisTeams,
    private readonly random: Random,
  ) {
    this.recordNamed = script(teams.redis, 'recordNamedReply', 5, RECORD_NAMED);
    this.recordAnonymous = script(teams.redis, 'recordAnonymousReply', 3, RECORD_ANONYMOUS);
  }

  private get redis() {
    return this.teams.redis;
  }

  async recordReply(team: TeamRef, reply: ReplyToRecord): Promise<RecordOutcome> {
    await this.teams.remember(team);
    const k = this.teams.keys(team);
    const { occurrenceId, respondent, answers } = reply;
    if (reply.anonymous) {
      const stored: AnonymousValue = { outcome: answers.outcome, values: answers.values, day: reply.day };
      return (await this.recordAnonymous(
        k.respondents(occurrenceId),
        k.anonymous(occurrenceId),
        k.occurrences,
        respondent.userId,
        this.random.id(),
        encode(stored),
        dayStart(reply.day),
        occurrenceId,
      )) as RecordOutcome;
    }
    const fp = fingerprint(answers);
    const stored: NamedValue = { fp, platform: respondent.platform, platformUserId: respondent.platformUserId, outcome: answers.outcome, values: answers.values, at: reply.at };
    return (await this.recordNamed(
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
    )) as RecordOutcome;
  }

  async namedReplies(team: TeamRef, occurrenceId: string) {
    const k = this.teams.keys(team);
    const [stored, edited] = await Promise.all([this.redis.hgetall(k.replies(occurrenceId)), this.redis.smembers(k.edited(occurrenceId))]);
    const histories = new Map(await Promise.all(edited.map(async (userId) => [userId, await this.redis.lrange(k.history(occurrenceId, userId), 0, -1)] as const)));
    return Object.entries(stored)
      .map(([userId, text]) => namedReply(occurrenceId, userId, text, histories.get(userId) ?? []))
      .sort((a, b) => a.at.localeCompare(b.at) || a.respondent.userId.localeCompare(b.respondent.userId));
  }

  async anonymousReplies(team: TeamRef, occurrenceId: string): Promise<AnonymousReply[]> {
    return Object.values(await this.redis.hgetall(this.teams.keys(team).anonymous(occurrenceId))).map((t) => ({ occurrenceId, ...decode<AnonymousValue>(t) }));
  }

  async respondents(team: TeamRef, occurrenceId: string) {
    return (await this.redis.smembers(this.teams.keys(team).respondents(occurrenceId))).sort();
  }

  async deleteRepliesBefore(team: TeamRef, cutoff: Date): Promise<number> {
    const k = this.teams.keys(team);
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
      for (const { userId } of oldNamed) this.dropNamed(tx, team, occurrenceId, userId);
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

  private dropNamed(tx: ChainableCommander, team: TeamRef, occurrenceId: string, userId: string) {
    const k = this.teams.keys(team);
    tx.hdel(k.replies(occurrenceId), userId);
    tx.del(k.history(occurrenceId, userId));
    tx.srem(k.edited(occurrenceId), userId);
    tx.srem(k.respondents(occurrenceId), userId);
  }

  /** Where a person appears: occurrences with their named reply, and those where only the "answered" marker is theirs. */
  private async personIn(team: TeamRef, userId: string) {
    const k = this.teams.keys(team);
    const occurrences = (await this.redis.zrange(k.occurrences, '0', '-1')).sort();
    const found = await Promise.all(
      occurrences.map(async (occurrenceId) => {
        const [reply, marked] = await Promise.all([this.redis.hget(k.replies(occurrenceId), userId), this.redis.sismember(k.respondents(occurrenceId), userId)]);
        return { occurrenceId, reply, marked: marked === 1 };
      }),
    );
    return {
      named: found.filter((f): f is { occurrenceId: string; reply: string; marked: boolean } => f.reply !== null),
      anonymous: found.filter((f) => f.reply === null && f.marked).map((f) => f.occurrenceId),
    };
  }

  personalDataParts(): PersonalDataPart[] {
    return [
      {
        name: 'replies',
        export: async (team, userId) => {
          const k = this.teams.keys(team);
          const { named } = await this.personIn(team, userId);
          return Promise.all(named.map(async ({ occurrenceId, reply }) => namedReply(occurrenceId, userId, reply, await this.redis.lrange(k.history(occurrenceId, userId), 0, -1))));
        },
        erase: async (team, userId) => {
          const { named } = await this.personIn(team, userId);
          const tx = this.redis.multi();
          for (const { occurrenceId } of named) this.dropNamed(tx, team, occurrenceId, userId);
          await tx.exec();
          return named.length;
        },
      },
      {
        // Only the marker that they answered: the anonymous answers say nothing about who, and stay.
        name: 'answeredAnonymously',
        export: async (team, userId) => (await this.personIn(team, userId)).anonymous,
        erase: async (team, userId) => {
          const k = this.teams.keys(team);
          const { anonymous } = await this.personIn(team, userId);
          const tx = this.redis.multi();
          for (const occurrenceId of anonymous) tx.srem(k.respondents(occurrenceId), userId);
          await tx.exec();
          return anonymous.length;
        },
      },
    ];
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
