import type { ChainableCommander } from 'ioredis';
import { anonymousMarker } from '../../app/anonymous-marker.ts';
import type { AnonymousReply, PersonalDataPart, Random, RecordOutcome, ReplyStore, ReplyToRecord, StoredReply, TeamRef } from '../../app/ports.ts';
import { DEVELOPMENT_ANONYMITY_SECRET } from '../../config.ts';
import type { Answers, Platform } from '../../domain/replies/reply.ts';
import { dayStart, decode, encode, fingerprint } from '../values.ts';
import { type RedisTeams, type TeamKeys, unpipelinedScript } from './redis-team.ts';
import { type KeyGroup, ScriptBatches } from './script-batches.ts';
import { RECORD_ANONYMOUS, RECORD_NAMED } from './scripts.ts';

/** How many occurrences `hasAnswered` remembers as free of legacy data before it starts over (memory, not correctness). */
const LEGACY_CHECKED_SIZE = 100_000;
/** How many occurrences' key names a process keeps built for a team (memory, not correctness). */
const OCCURRENCE_KEYS_KEPT = 10_000;

/** A named reply as stored in its occurrence's hash, under the user id: what the key already says is left out. */
type NamedValue = Answers & { fp: string; platform: Platform; platformUserId: string; at: string };
/** An anonymous answer as stored: the random id keeps two equal answers apart in their set. */
type AnonymousValue = Answers & { id: string; day: string };
/** An occurrence's keys as a reply's script call takes them: the team's, then the occurrence's for each kind of reply, and which batch it joins. */
type OccurrenceKeys = { shared: string[]; named: KeyGroup & { batch: string }; anonymous: KeyGroup & { batch: string } };

/**
 * Replies on Redis. Named: a hash per occurrence by user id, earlier versions in a list per person.
 * Anonymous: the answers in a set of their own in random order, and who answered as keyed markers
 * in another, linked by nothing; no user id is stored or sent to Redis for them.
 */
export class RedisReplies implements ReplyStore {
  private readonly teams: RedisTeams;
  private readonly random: Random;
  /** ANONYMITY_SECRET as `anonymitySecret(config)` gives it; left out, the playground's fixed key (tests). */
  private readonly anonymitySecret: string;
  private readonly recordNamed: ScriptBatches;
  private readonly recordAnonymous: ScriptBatches;
  /**
   * Occurrences (by their replies key) this process found without legacy anonymous data, for `hasAnswered`
   * only: it is asked for every occurrence of every `/sparring status`, and it finds a legacy respondent by
   * user id anyway, so it need not look again. Every other reader and writer still looks each time: a
   * replica of an earlier release can write legacy data during a rolling update.
   */
  private readonly legacyChecked = new Set<string>();
  /** By the team's key names (RedisTeams keeps one object per team), then by occurrence. */
  private readonly keysByOccurrence = new WeakMap<TeamKeys, Map<string, OccurrenceKeys>>();

  constructor(teams: RedisTeams, random: Random, anonymitySecret: string = DEVELOPMENT_ANONYMITY_SECRET) {
    this.teams = teams;
    this.random = random;
    this.anonymitySecret = anonymitySecret;
    this.recordNamed = new ScriptBatches(unpipelinedScript(teams.redis, RECORD_NAMED));
    this.recordAnonymous = new ScriptBatches(unpipelinedScript(teams.redis, RECORD_ANONYMOUS));
  }

  private get redis() {
    return this.teams.redis;
  }

  private marker(team: TeamRef, occurrenceId: string, userId: string) {
    return anonymousMarker(this.anonymitySecret, team, occurrenceId, userId);
  }

  async recordReply(team: TeamRef, reply: ReplyToRecord): Promise<RecordOutcome> {
    const remembering = this.teams.remember(team);
    if (remembering) await remembering;
    const { occurrenceId, respondent, answers } = reply;
    const k = this.teams.keys(team);
    const occurrence = this.occurrenceKeys(k, occurrenceId);
    if (reply.anonymous) {
      const stored = encode({ id: this.random.id(), outcome: answers.outcome, values: answers.values, day: reply.day } satisfies AnonymousValue);
      const args = [this.marker(team, occurrenceId, respondent.userId), stored, this.random.next(), dayStart(reply.day)];
      for (;;) {
        // Anonymous and named replies never share a call: no call carries a person's id beside an anonymous answer.
        const outcome = (await this.recordAnonymous.call(occurrence.anonymous.batch, occurrence.shared, occurrence.anonymous, [], args)) as RecordOutcome | 'legacy';
        if (outcome !== 'legacy') return outcome;
        await this.moveLegacyAnonymous(team, occurrenceId);
      }
    }
    const fp = fingerprint(answers);
    const stored = encode({ fp, platform: respondent.platform, platformUserId: respondent.platformUserId, outcome: answers.outcome, values: answers.values, at: reply.at } satisfies NamedValue);
    const history = k.history(occurrenceId, respondent.userId);
    return (await this.recordNamed.call(occurrence.named.batch, occurrence.shared, occurrence.named, [history], [respondent.userId, stored, fp, Date.parse(reply.at)])) as RecordOutcome;
  }

  /** What a reply's script call needs of its occurrence's keys (see RECORD_NAMED, RECORD_ANONYMOUS), built once per occurrence. */
  private occurrenceKeys(k: TeamKeys, occurrenceId: string): OccurrenceKeys {
    let ofTeam = this.keysByOccurrence.get(k);
    if (!ofTeam) {
      ofTeam = new Map();
      this.keysByOccurrence.set(k, ofTeam);
    }
    let keys = ofTeam.get(occurrenceId);
    if (!keys) {
      if (ofTeam.size >= OCCURRENCE_KEYS_KEPT) ofTeam.clear();
      keys = {
        shared: [k.occurrences],
        named: { batch: `${k.occurrences}|named`, id: occurrenceId, keys: [k.replies(occurrenceId), k.respondents(occurrenceId), k.edited(occurrenceId)] },
        anonymous: {
          batch: `${k.occurrences}|anonymous`,
          id: occurrenceId,
          keys: [k.answeredMarkers(occurrenceId), k.anonymousAnswers(occurrenceId), k.legacyAnonymous(occurrenceId)],
        },
      };
      ofTeam.set(occurrenceId, keys);
    }
    return keys;
  }

  /**
   * Releases before the markers kept who answered an anonymous occurrence as user ids (in `respondents`)
   * and its answers in a hash, in arrival order. The first use of such an occurrence turns the user ids
   * into markers, then moves the answers into random order. The two go in separate transactions, so no
   * command carries a user id beside an answer; both steps can run twice (a crash, two replicas) harmlessly.
   */
  private async moveLegacyAnonymous(team: TeamRef, occurrenceId: string) {
    const k = this.teams.keys(team);
    const legacy = k.legacyAnonymous(occurrenceId);
    if ((await this.redis.exists(legacy)) === 0) return;
    // The legacy hash is what tells that this respondents set is an anonymous occurrence's, so it goes last.
    const userIds = await this.redis.smembers(k.respondents(occurrenceId));
    if (userIds.length > 0) {
      const tx = this.redis.multi();
      tx.zadd(k.answeredMarkers(occurrenceId), 'NX', ...userIds.flatMap((userId) => [0, this.marker(team, occurrenceId, userId)]));
      tx.srem(k.respondents(occurrenceId), ...userIds);
      await tx.exec();
    }
    const answers = Object.entries(await this.redis.hgetall(legacy));
    if (answers.length === 0) return;
    const tx = this.redis.multi();
    for (const [id, text] of answers) {
      const { outcome, values, day } = decode<Answers & { day: string }>(text);
      tx.zadd(k.anonymousAnswers(occurrenceId), 'NX', this.random.next(), encode({ id, outcome, values, day } satisfies AnonymousValue));
    }
    tx.hdel(legacy, ...answers.map(([id]) => id));
    await tx.exec();
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
    await this.moveLegacyAnonymous(team, occurrenceId);
    return (await this.redis.zrange(this.teams.keys(team).anonymousAnswers(occurrenceId), '0', '-1')).map((text) => {
      const { outcome, values, day } = decode<AnonymousValue>(text);
      return { occurrenceId, outcome, values, day };
    });
  }

  async respondents(team: TeamRef, occurrenceId: string) {
    await this.moveLegacyAnonymous(team, occurrenceId);
    return (await this.redis.smembers(this.teams.keys(team).respondents(occurrenceId))).sort();
  }

  async hasAnswered(team: TeamRef, occurrenceId: string, userIds: readonly string[]): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const k = this.teams.keys(team);
    const checked = k.replies(occurrenceId);
    if (!this.legacyChecked.has(checked)) {
      await this.moveLegacyAnonymous(team, occurrenceId);
      if (this.legacyChecked.size >= LEGACY_CHECKED_SIZE) this.legacyChecked.clear();
      this.legacyChecked.add(checked);
    }
    // Who has a named reply, and whether anyone answered this occurrence anonymously at all.
    const [named, anyMarker] = await Promise.all([this.redis.smismember(k.respondents(occurrenceId), ...userIds), this.redis.exists(k.answeredMarkers(occurrenceId))]);
    const answered = new Set(userIds.filter((_, i) => named[i] === 1));
    // A named occurrence has no markers: no one's marker is computed (an HMAC each) or asked for.
    const rest = anyMarker === 0 ? [] : [...new Set(userIds.filter((userId) => !answered.has(userId)))];
    if (rest.length === 0) return answered;
    const marked = await this.redis.zmscore(k.answeredMarkers(occurrenceId), ...rest.map((userId) => this.marker(team, occurrenceId, userId)));
    const markedIds = new Set(rest.filter((_, i) => marked[i] !== null));
    return new Set(userIds.filter((userId) => answered.has(userId) || markedIds.has(userId)));
  }

  async deleteRepliesBefore(team: TeamRef, cutoff: Date): Promise<number> {
    const k = this.teams.keys(team);
    const before = cutoff.getTime();
    let deleted = 0;
    // Only occurrences whose oldest reply is older than the cut-off can hold a reply to delete.
    for (const occurrenceId of await this.redis.zrangebyscore(k.occurrences, '-inf', `(${before}`)) {
      await this.moveLegacyAnonymous(team, occurrenceId);
      const named = Object.entries(await this.redis.hgetall(k.replies(occurrenceId))).map(([userId, t]) => ({ userId, time: Date.parse(decode<NamedValue>(t).at) }));
      const anonymous = (await this.redis.zrange(k.anonymousAnswers(occurrenceId), '0', '-1')).map((text) => ({ text, time: dayStart(decode<AnonymousValue>(text).day) }));
      const oldNamed = named.filter((r) => r.time < before);
      const oldAnonymous = anonymous.filter((r) => r.time < before);
      const kept = [...named, ...anonymous].map((r) => r.time).filter((time) => time >= before);

      const tx = this.redis.multi();
      for (const { userId } of oldNamed) this.dropNamed(tx, team, occurrenceId, userId);
      if (oldAnonymous.length > 0) tx.zrem(k.anonymousAnswers(occurrenceId), ...oldAnonymous.map((r) => r.text));
      // Who answered an anonymous occurrence goes with its last answer: the markers cannot be matched to answers.
      if (anonymous.length > 0 && oldAnonymous.length === anonymous.length) tx.del(k.answeredMarkers(occurrenceId));
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

  private async occurrences(team: TeamRef) {
    return (await this.redis.zrange(this.teams.keys(team).occurrences, '0', '-1')).sort();
  }

  /** The person's named replies, by occurrence. */
  private async namedOf(team: TeamRef, userId: string) {
    const k = this.teams.keys(team);
    const found = await Promise.all((await this.occurrences(team)).map(async (occurrenceId) => ({ occurrenceId, reply: await this.redis.hget(k.replies(occurrenceId), userId) })));
    return found.filter((f): f is { occurrenceId: string; reply: string } => f.reply !== null);
  }

  personalDataParts(): PersonalDataPart[] {
    return [
      {
        name: 'replies',
        export: async (team, userId) => {
          const k = this.teams.keys(team);
          const named = await this.namedOf(team, userId);
          return Promise.all(named.map(async ({ occurrenceId, reply }) => namedReply(occurrenceId, userId, reply, await this.redis.lrange(k.history(occurrenceId, userId), 0, -1))));
        },
        erase: async (team, userId) => {
          const named = await this.namedOf(team, userId);
          const tx = this.redis.multi();
          for (const { occurrenceId } of named) this.dropNamed(tx, team, occurrenceId, userId);
          await tx.exec();
          return named.length;
        },
      },
      {
        // Anonymous occurrences the person answered, found by computing their marker: never the answers.
        name: 'answeredAnonymously',
        export: async (team, userId) => {
          const k = this.teams.keys(team);
          const answered = await Promise.all(
            (await this.occurrences(team)).map(async (occurrenceId) => {
              await this.moveLegacyAnonymous(team, occurrenceId);
              return (await this.redis.zscore(k.answeredMarkers(occurrenceId), this.marker(team, occurrenceId, userId))) === null ? [] : [occurrenceId];
            }),
          );
          return answered.flat();
        },
        // The markers stay: a marker is what refuses a second answer, and without the secret it names no
        // one. A user id an earlier release kept for an anonymous occurrence is turned into its marker here.
        erase: async (team) => {
          for (const occurrenceId of await this.occurrences(team)) await this.moveLegacyAnonymous(team, occurrenceId);
          return 0;
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
