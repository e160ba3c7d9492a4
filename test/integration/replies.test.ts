// Replies from cards to Redis and back out as a summary: validation, the close, anonymity in the keys themselves.
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it, inject } from 'vitest';
import type { TeamRef } from '../../src/app/ports.ts';
import { applyRetention } from '../../src/app/apply-retention.ts';
import { recordReply, type Submission } from '../../src/app/record-reply.ts';
import { summariseOccurrence } from '../../src/app/summarise-occurrence.ts';
import { summaryCardFor } from '../../src/cards/from-activity.ts';
import { renderAdaptiveCard } from '../../src/cards/render.ts';
import type { Respondent } from '../../src/domain/replies/reply.ts';
import { activitiesById } from '../../src/domain/programme/activities.ts';
import { dueIndexKeys, SHARD_NUMBERS, teamsIndex, teamTag } from '../../src/store/keys.ts';
import { fakeClock, memoryLogger } from '../support/fakes.ts';
import { programme } from '../support/plans.ts';
import { redisStore, type StoreUnderTest } from '../support/stores.ts';

const odense = programme('odense-science-boernehoejde');
const activities = activitiesById(odense);
const reflection = activities.get('tema-1-1')!;
const questionnaire = activities.get('spoergeskema-1')!;
const TEAM: TeamRef = { tenant: 'odense-kommune', team: '19:solsikken@thread.tacv2' };
const person = (n: number): Respondent => ({ userId: `user-${n}`, platform: 'teams', platformUserId: `29:aad-${n}` });

let subject: StoreUnderTest;
let clock: ReturnType<typeof fakeClock>;
let logger: ReturnType<typeof memoryLogger>;
beforeEach(async () => {
  subject = await redisStore();
  clock = fakeClock('2026-08-20T10:00:00Z');
  logger = memoryLogger();
});
afterEach(() => subject.cleanup());

const deps = () => ({ store: subject.store, clock, logger });
const submit = (overrides: Partial<Submission>) =>
  recordReply(deps(), {
    team: TEAM,
    activity: reflection,
    occurrence: { id: 'tema-1-1', closesAt: '2026-08-28T10:00:00Z' },
    respondent: person(1),
    timeZone: 'Europe/Copenhagen',
    outcome: 'answered',
    values: { [reflection.questions[0]!.id]: 'Vi leger mere ude' },
    ...overrides,
  });

describe('recording a reply', () => {
  it('stores it once; a second click is a duplicate; an edit before the close replaces it', async () => {
    expect((await submit({})).status).toBe('created');
    expect((await submit({})).status).toBe('duplicate');
    clock.advance(60_000);
    expect((await submit({ values: { [reflection.questions[0]!.id]: 'Vi leger mest inde' } })).status).toBe('updated');
    const [stored] = await subject.store.namedReplies(TEAM, 'tema-1-1');
    expect(stored?.history).toHaveLength(1);
    expect(stored?.at).toBe('2026-08-20T10:01:00.000Z');
  });

  it('refuses a reply after the close with when it closed, and stores nothing', async () => {
    clock.set('2026-08-28T10:00:00Z');
    expect(await submit({})).toEqual({ status: 'closed', closedAt: '2026-08-28T10:00:00Z' });
    expect(await subject.store.namedReplies(TEAM, 'tema-1-1')).toEqual([]);
    expect(logger.entries).toEqual([expect.objectContaining({ level: 'warn', message: 'reply after the close refused' })]);
  });

  it.each([
    ['an unknown field', { hacked: 'x' }, 'answered', /hacked/],
    ['a scale answer out of range', { [questionnaire.questions[0]!.id]: '7' }, 'answered', /1 to 5/],
    ['a value that is not text', { [reflection.questions[0]!.id]: 42 }, 'answered', /answers/],
    ['an unknown outcome', {}, 'maybe', /outcome/],
    ['a very long answer', { [reflection.questions[0]!.id]: 'ø'.repeat(2001) }, 'answered', /2000/],
  ])('refuses %s, logs it without the content and stores nothing', async (_name, values, outcome, problem) => {
    const activity = String(Object.keys(values)[0]).startsWith(questionnaire.questions[0]!.id) ? questionnaire : reflection;
    const result = await submit({ activity, values, outcome });
    expect(result.status).toBe('invalid');
    expect(result.status === 'invalid' && result.problems.join(' ')).toMatch(problem);
    expect(await subject.store.respondents(TEAM, 'tema-1-1')).toEqual([]);
    expect(JSON.stringify(logger.entries)).not.toMatch(/øøø|"7"|42/);
  });
});

describe('anonymous questionnaires', () => {
  const answer = (n: number, values: Record<string, string>) =>
    submit({ activity: questionnaire, occurrence: { id: 'spoergeskema-1', closesAt: '2026-08-24T07:00:00Z' }, respondent: person(n), values });

  it('keep no user id, no platform id and no time finer than the day in the stored answers', async () => {
    for (let n = 1; n <= 3; n++) await answer(n, { [questionnaire.questions[0]!.id]: String(n + 1), [questionnaire.questions[5]!.id]: `Svar ${n}` });
    const redis = new Redis(inject('redisUrl'));
    const keys = (await redis.keys(`${subject.namespace}:*`)).sort();
    const anonymousKey = keys.find((k) => k.includes(':anonymous-answers:'))!;
    const stored = (await redis.zrange(anonymousKey, '0', '-1')).join('\n');
    expect(stored).toContain('"day":"2026-08-20"');
    expect(stored).not.toMatch(/user-\d|29:aad|T\d\d:/);
    // Who answered is in its own key as keyed markers, with nothing that points at the answers or names anyone.
    expect(await redis.zcard(keys.find((k) => k.includes(':answered:'))!)).toBe(3);
    expect(keys.some((k) => k.includes(':respondents:'))).toBe(false);
    expect(await subject.dump()).not.toMatch(/user-\d|29:aad/);
    // Every key of the team is in one Redis Cluster slot (the indexes of all teams, a shard each, aside).
    const indexes = SHARD_NUMBERS.flatMap((shard) => [teamsIndex(shard, subject.namespace), ...Object.values(dueIndexKeys(shard, subject.namespace))]);
    for (const key of keys.filter((k) => !indexes.includes(k))) expect(key).toContain(teamTag(TEAM));
    await redis.quit();
  });

  it('show only the count before the close, and after it the answers of each question at least k answered', async () => {
    const q = questionnaire.questions;
    for (let n = 1; n <= 4; n++) await answer(n, { [q[0]!.id]: String((n % 5) + 1), [q[5]!.id]: `Tanke nummer ${n}` });
    const summary = () =>
      summariseOccurrence(
        { store: subject.store, random: { id: () => 'x', next: () => 0.5 }, clock },
        { team: TEAM, programme: odense, activity: questionnaire, occurrenceId: 'spoergeskema-1', closesAt: '2026-08-24T07:00:00Z', invited: 12, locale: 'da' },
      );
    expect(await summary()).toMatchObject({ answered: 4, invited: 12, closed: false, items: [] });

    await answer(5, { [q[0]!.id]: '5' });
    expect(await summary()).toMatchObject({ answered: 5, closed: false, items: [] });
    clock.set('2026-08-24T07:00:00Z');
    const five = await summary();
    expect(five.answered).toBe(5);
    expect(five.items[0]?.counts).toEqual([
      { value: 1, count: 0 },
      { value: 2, count: 1 },
      { value: 3, count: 1 },
      { value: 4, count: 1 },
      { value: 5, count: 2 },
    ]);
    // Four wrote a text: fewer than k = 5, so none of the four is shown.
    expect(five.items[5]).toMatchObject({ tooFew: true, answers: [] });

    const card = JSON.stringify(renderAdaptiveCard('summary', summaryCardFor(odense, questionnaire, 'spoergeskema-1', five, 'da'), { locale: 'da' }));
    expect(card).toContain('5 af 12 har svaret');
    expect(card).toContain('Færre end 5 har svaret på dette spørgsmål');
    expect(card).not.toContain('Tanke nummer');
  });
});

describe('retention', () => {
  it('deletes replies older than RETENTION_DAYS across teams and keeps the rest; 0 keeps everything', async () => {
    await submit({});
    clock.set('2026-10-01T10:00:00Z');
    await submit({ respondent: person(2), occurrence: { id: 'tema-1-1' } });
    clock.set('2026-10-10T10:00:00Z');
    expect(await applyRetention({ ...deps(), outboxes: [] }, 0)).toBe(0);
    expect(await applyRetention({ ...deps(), outboxes: [] }, 30)).toBe(1);
    expect(await subject.store.respondents(TEAM, 'tema-1-1')).toEqual(['user-2']);
    expect(logger.entries.at(-1)).toMatchObject({ message: 'old replies deleted', fields: { deleted: 1, cutoff: '2026-09-10T10:00:00.000Z' } });
  });
});
