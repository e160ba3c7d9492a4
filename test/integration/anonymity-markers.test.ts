// Who answered an anonymous questionnaire is kept as keyed markers only: one answer per person for good
// (erase does not reopen it), reminders can still find who has not answered, and data written by
// earlier releases (user ids beside the questionnaire) is turned into markers. On Redis and the embedded store.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { describe, expect, inject, it } from 'vitest';
import type { ReplyToRecord, TeamRef } from '../../src/app/ports.ts';
import { notYetAnswered } from '../../src/app/record-reply.ts';
import { erasePerson, exportPerson } from '../../src/cli/commands/person-data.ts';
import { EmbeddedData } from '../../src/store/embedded/embedded-data.ts';
import { EmbeddedReplies } from '../../src/store/embedded/embedded-replies.ts';
import { EmbeddedStore } from '../../src/store/embedded/embedded-store.ts';
import { keysFor, teamIndexMember, teamShard, teamsIndex } from '../../src/store/keys.ts';
import { RedisReplies } from '../../src/store/redis/redis-replies.ts';
import { RedisTeams } from '../../src/store/redis/redis-team.ts';
import { countingRandom, redisStore, STORES, type StoreUnderTest } from '../support/stores.ts';

const TEAM: TeamRef = { tenant: 'tenant-anon', team: '19:solsikken{x}@thread.tacv2' };
const QUESTIONNAIRE = 'spoergeskema-1';
const person = (userId: string) => ({ userId, platform: 'teams' as const, platformUserId: `29:aad-${userId}` });

const answer = (userId: string, note = 'Mit svar', day = '2026-08-20'): ReplyToRecord => ({
  occurrenceId: QUESTIONNAIRE,
  respondent: person(userId),
  answers: { outcome: 'answered', values: { tryghed: '4', note } },
  at: `${day}T09:13:27.000Z`,
  anonymous: true,
  day,
});

async function withSubject(factory: () => Promise<StoreUnderTest>, body: (subject: StoreUnderTest) => Promise<void>) {
  const subject = await factory();
  try {
    await body(subject);
  } finally {
    await subject.cleanup();
  }
}

describe.each(STORES)('anonymous markers: %s', (_name, factory) => {
  it('refuses a second answer after the person’s data is erased, also after a restart', () =>
    withSubject(factory, async (subject) => {
      const { store } = subject;
      expect(await store.recordReply(TEAM, answer('u-anna-91c'))).toBe('created');
      expect(await store.recordReply(TEAM, answer('u-bo-91c'))).toBe('created');

      const erased = await erasePerson(store, TEAM, 'u-anna-91c');

      expect(await store.recordReply(TEAM, answer('u-anna-91c', 'Et nyt forsøg'))).toBe('anonymousAlreadyAnswered');
      expect(await subject.reopen().recordReply(TEAM, answer('u-anna-91c', 'Et nyt forsøg'))).toBe('anonymousAlreadyAnswered');
      expect(await store.anonymousReplies(TEAM, QUESTIONNAIRE)).toHaveLength(2);
      expect(erased.get('answeredAnonymously')).toBe(0);
      // The export still says she answered (computed from her marker), never what.
      const exported = await exportPerson(subject.reopen(), TEAM, 'u-anna-91c');
      expect(exported['answeredAnonymously']).toEqual([QUESTIONNAIRE]);
      expect(JSON.stringify(exported)).not.toContain('Mit svar');
    }));

  it('tells which members have not answered, without listing who has', () =>
    withSubject(factory, async (subject) => {
      const { store } = subject;
      const members = ['u-anon-a', 'u-anon-b', 'u-anon-c', 'u-anon-d'];
      await store.recordReply(TEAM, answer('u-anon-a'));
      await store.recordReply(TEAM, answer('u-anon-c'));
      expect(await notYetAnswered(store, TEAM, QUESTIONNAIRE, members)).toEqual(['u-anon-b', 'u-anon-d']);
      expect(await notYetAnswered(subject.reopen(), TEAM, QUESTIONNAIRE, members)).toEqual(['u-anon-b', 'u-anon-d']);
      expect(await store.respondents(TEAM, QUESTIONNAIRE)).toEqual([]);

      // Named occurrences are asked the same way.
      await store.recordReply(TEAM, { ...answer('u-anon-b'), occurrenceId: 'tema-1-1', anonymous: false });
      expect(await notYetAnswered(store, TEAM, 'tema-1-1', members)).toEqual(['u-anon-a', 'u-anon-c', 'u-anon-d']);
      expect(await store.respondents(TEAM, 'tema-1-1')).toEqual(['u-anon-b']);

      const dump = await subject.dump();
      expect(dump).toContain('u-anon-b');
      for (const userId of ['u-anon-a', 'u-anon-c']) expect(dump).not.toContain(userId);
    }));
});

describe('anonymous markers need the secret', () => {
  it('a store with another secret finds no marker, so keep the secret (Redis)', async () => {
    const subject = await redisStore();
    const redis = new Redis(inject('redisUrl'));
    try {
      const replies = (secret: string) => new RedisReplies(new RedisTeams(redis, subject.namespace), countingRandom(), secret);
      const first = replies('a-production-secret-of-at-least-32-characters');
      expect(await first.recordReply(TEAM, answer('u-anna'))).toBe('created');
      expect(await first.hasAnswered(TEAM, QUESTIONNAIRE, ['u-anna', 'u-bo'])).toEqual(new Set(['u-anna']));
      const other = replies('another-secret-of-at-least-32-characters!!');
      expect(await other.hasAnswered(TEAM, QUESTIONNAIRE, ['u-anna', 'u-bo'])).toEqual(new Set());
      expect(await other.recordReply(TEAM, answer('u-anna'))).toBe('created');
    } finally {
      await redis.quit();
      await subject.cleanup();
    }
  });

  it('a store with another secret finds no marker, so keep the secret (embedded)', async () => {
    const data = new EmbeddedData(undefined);
    const first = new EmbeddedReplies(data, countingRandom(), 'a-production-secret-of-at-least-32-characters');
    expect(await first.recordReply(TEAM, answer('u-anna'))).toBe('created');
    expect(await first.hasAnswered(TEAM, QUESTIONNAIRE, ['u-anna', 'u-bo'])).toEqual(new Set(['u-anna']));
    const other = new EmbeddedReplies(data, countingRandom(), 'another-secret-of-at-least-32-characters!!');
    expect(await other.hasAnswered(TEAM, QUESTIONNAIRE, ['u-anna', 'u-bo'])).toEqual(new Set());
  });
});

describe('anonymous data of earlier releases (user ids beside the questionnaire)', () => {
  it('is turned into markers on Redis: the user ids go, the answers stay, a second answer is refused', () =>
    withSubject(redisStore, async (subject) => {
      const redis = new Redis(inject('redisUrl'));
      try {
        const k = keysFor(TEAM, subject.namespace);
        await redis.sadd(teamsIndex(teamShard(TEAM), subject.namespace), teamIndexMember(TEAM));
        await redis.hset(k.legacyAnonymous(QUESTIONNAIRE), 'old-1', JSON.stringify({ v: 2, outcome: 'answered', values: { note: 'Gammelt svar 1' }, day: '2026-08-19' }));
        await redis.hset(k.legacyAnonymous(QUESTIONNAIRE), 'old-2', JSON.stringify({ v: 2, outcome: 'answered', values: { note: 'Gammelt svar 2' }, day: '2026-08-19' }));
        await redis.sadd(k.respondents(QUESTIONNAIRE), 'u-legacy-anna', 'u-legacy-bo');
        await redis.zadd(k.occurrences, Date.parse('2026-08-19T00:00:00Z'), QUESTIONNAIRE);
        const store = subject.reopen();

        expect(await store.recordReply(TEAM, answer('u-legacy-anna'))).toBe('anonymousAlreadyAnswered');
        expect(await store.recordReply(TEAM, answer('u-new'))).toBe('created');
        expect((await store.anonymousReplies(TEAM, QUESTIONNAIRE)).map((r) => r.values['note']).sort()).toEqual(['Gammelt svar 1', 'Gammelt svar 2', 'Mit svar']);
        expect(await notYetAnswered(store, TEAM, QUESTIONNAIRE, ['u-legacy-anna', 'u-legacy-bo', 'u-new', 'u-other'])).toEqual(['u-other']);
        expect(await subject.dump()).not.toContain('u-legacy');
      } finally {
        await redis.quit();
      }
    }));

  it('is turned into markers in the embedded file when it is opened', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sparring-anon-')), 'data.json');
    const legacyTeam = {
      members: [],
      conversations: {},
      named: {},
      anonymous: { [QUESTIONNAIRE]: { 'old-1': { occurrenceId: QUESTIONNAIRE, outcome: 'answered', values: { note: 'Gammelt svar' }, day: '2026-08-19' } } },
      respondents: { [QUESTIONNAIRE]: ['u-legacy-anna'] },
      userAnonymous: { 'u-legacy-anna': [QUESTIONNAIRE] },
      documents: {},
      hours: [],
    };
    writeFileSync(file, JSON.stringify({ v: 2, teams: { [teamIndexMember(TEAM)]: legacyTeam } }));

    const store = new EmbeddedStore(file, countingRandom());
    expect(readFileSync(file, 'utf8')).not.toContain('u-legacy');
    expect(await store.recordReply(TEAM, answer('u-legacy-anna'))).toBe('anonymousAlreadyAnswered');
    expect(await notYetAnswered(store, TEAM, QUESTIONNAIRE, ['u-legacy-anna', 'u-other'])).toEqual(['u-other']);
    expect((await store.anonymousReplies(TEAM, QUESTIONNAIRE)).map((r) => r.values['note'])).toEqual(['Gammelt svar']);
  });
});
