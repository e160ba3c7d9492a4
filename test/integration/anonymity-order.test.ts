// Anonymous answers are kept in an order that says nothing about who came when, with the day as the
// only time: the embedded file puts each new answer at a random place, Redis scores it at random. The
// embedded store's journal, like Redis's AOF, keeps changes in the order they came: an anonymous answer
// leaves it for its random place in the data file within a minute.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { Random, ReplyToRecord, TeamRef } from '../../src/app/ports.ts';
import { EmbeddedStore } from '../../src/store/embedded/embedded-store.ts';
import { teamIndexMember } from '../../src/store/keys.ts';
import { seeded } from '../support/seeded.ts';
import { redisStore } from '../support/stores.ts';

const TEAM: TeamRef = { tenant: 'tenant-order', team: 'team-order' };
const ANSWERS = 24;
const arrival = Array.from({ length: ANSWERS }, (_, i) => `Svar nummer ${i + 1}`);

function seededRandom(seed: number): Random {
  const next = seeded(seed);
  let n = 0;
  return { id: () => `answer-${++n}`, next };
}

const answer = (n: number): ReplyToRecord => ({
  occurrenceId: 'spoergeskema-1',
  respondent: { userId: `u-${n}`, platform: 'teams', platformUserId: `29:aad-${n}` },
  answers: { outcome: 'answered', values: { tanker: arrival[n - 1]! } },
  at: `2026-08-20T${String(8 + (n % 10)).padStart(2, '0')}:${String(n).padStart(2, '0')}:00.000Z`,
  anonymous: true,
  day: '2026-08-20',
});

describe('the order of anonymous answers', () => {
  it('in the embedded file is not their arrival, and they carry the day only', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sparring-order-')), 'data.json');
    const store = new EmbeddedStore(file, seededRandom(7));
    for (let n = 1; n <= ANSWERS; n++) expect(await store.recordReply(TEAM, answer(n))).toBe('created');
    // Neither an id nor a time finer than the day beside an answer in the journal either.
    expect(readFileSync(`${file}.journal`, 'utf8')).toContain(arrival.at(-1));
    expect(readFileSync(`${file}.journal`, 'utf8')).not.toMatch(/T\d\d:\d\d|u-\d|aad-/);
    await store.close();
    expect(readFileSync(`${file}.journal`, 'utf8')).toBe('');

    type Stored = { values: Record<string, string>; day: string };
    const content = JSON.parse(readFileSync(file, 'utf8')) as { teams: Record<string, { anonymous: Record<string, Record<string, Stored>> }> };
    const stored = Object.values(content.teams[teamIndexMember(TEAM)]!.anonymous['spoergeskema-1']!);
    const inFile = stored.map((a) => a.values['tanker']);
    expect([...inFile].sort()).toEqual([...arrival].sort());
    expect(inFile).not.toEqual(arrival);
    expect(inFile.slice(0, 5)).not.toEqual(arrival.slice(0, 5));
    // Nor are the random ids in arrival order, so sorting by them gives nothing back.
    const ids = Object.keys(content.teams[teamIndexMember(TEAM)]!.anonymous['spoergeskema-1']!);
    expect(ids).not.toEqual([...ids].sort((a, b) => Number(a.split('-')[1]) - Number(b.split('-')[1])));
    for (const a of stored) expect(Object.keys(a).sort()).toEqual(['day', 'occurrenceId', 'outcome', 'values']);
    expect(JSON.stringify(stored)).not.toMatch(/T\d\d:\d\d|u-\d|aad-/);
    expect((await store.anonymousReplies(TEAM, 'spoergeskema-1')).map((a) => a.values['tanker'])).toEqual(inFile);
  });

  it('leave the embedded journal, where they are in the order they came, within a minute', async () => {
    vi.useFakeTimers();
    try {
      const file = join(mkdtempSync(join(tmpdir(), 'sparring-order-')), 'data.json');
      const store = new EmbeddedStore(file, seededRandom(7));
      // Each write goes to the journal; the data file is written whole when the journal outgrows it.
      for (let n = 1; n <= 4; n++) expect(await store.recordReply(TEAM, answer(n))).toBe('created');
      expect(readFileSync(`${file}.journal`, 'utf8')).toContain(arrival[3]);
      vi.advanceTimersByTime(59_000);
      expect(readFileSync(`${file}.journal`, 'utf8')).toContain(arrival[3]);
      vi.advanceTimersByTime(1_000);
      expect(readFileSync(`${file}.journal`, 'utf8')).toBe('');
      expect(readFileSync(file, 'utf8')).toContain(arrival[3]);
      expect((await new EmbeddedStore(file, seededRandom(8)).anonymousReplies(TEAM, 'spoergeskema-1')).map((a) => a.values['tanker']).sort()).toEqual(arrival.slice(0, 4).sort());
    } finally {
      vi.useRealTimers();
    }
  });

  it('on Redis is not their arrival either', async () => {
    const subject = await redisStore();
    try {
      for (let n = 1; n <= ANSWERS; n++) expect(await subject.store.recordReply(TEAM, answer(n))).toBe('created');
      const read = (await subject.store.anonymousReplies(TEAM, 'spoergeskema-1')).map((a) => a.values['tanker']);
      expect([...read].sort()).toEqual([...arrival].sort());
      expect(read).not.toEqual(arrival);
      expect(await subject.dump()).not.toMatch(/T\d\d:\d\d|u-\d|aad-/);
    } finally {
      await subject.cleanup();
    }
  });
});
