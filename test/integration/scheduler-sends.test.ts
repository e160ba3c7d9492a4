// The scheduler fires exactly what `sends` lists (src/domain/timeline/sends.ts): each send once across
// replicas and ticks, at its time and not before, under its own key, and stale after downtime.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyCalendarToken } from '../../src/app/calendar-link.ts';
import type { Run, TeamRef } from '../../src/app/ports.ts';
import { deliverDue } from '../../src/delivery/deliver.ts';
import type { Programme } from '../../src/domain/programme/schema.ts';
import { tick } from '../../src/scheduler/tick.ts';
import { dropNamespace, newNamespace, RecordingChannel, replica } from '../support/delivery.ts';
import { fakeClock } from '../support/fakes.ts';
import { tinyProgramme } from '../support/plans.ts';

const TEAM: TeamRef = { tenant: 'odense', team: 'solsikken' };
const MEMBERS = ['leder', 's1', 's2'];
const clock = fakeClock('2026-09-01T06:00:00Z');
const LINKS = { baseUrl: 'https://sparring.example.dk/', secret: 'test-secret' };

// A meeting on Wednesday 23 September 2026, 13:00-14:00 Copenhagen (11:00Z): notice Wednesday 16th 08:00
// (06:00Z), reminder on the day at 07:30 (05:30Z). A læringssamtale on Thursday 24th at 13:00, with its own card.
const p = tinyProgramme([
  { id: 'moede', kind: 'meeting', audience: ['leader', 'staff'], agenda: [{ da: 'Velkomst', sv: 'Välkommen', en: 'Welcome' }], timing: { type: 'offset', weeks: 2, weekday: 'wed', time: '13:00' } },
  { id: 'samtale', kind: 'learningConversation', audience: ['leader'], durationMinutes: 120, timing: { type: 'offset', weeks: 2, weekday: 'thu', time: '13:00' } },
]);

let namespace: string;
let replicas: Array<ReturnType<typeof replica>>;

async function setUp(programme: Programme, count: number) {
  replicas = Array.from({ length: count }, (_, i) => ({ ...replica(namespace, `replica-${i + 1}`, new Map([[programme.id, programme]]), clock), calendarLinks: LINKS }));
  const run: Run = {
    team: TEAM,
    programmeId: programme.id,
    start: '2026-09-07',
    settings: {},
    timeZone: 'Europe/Copenhagen',
    country: 'DK',
    locale: 'da',
    active: true,
    members: [{ userId: 'leder', roles: ['leader'] }, ...MEMBERS.slice(1).map((userId) => ({ userId, roles: ['staff' as const] }))],
    channelKey: 'channel',
  };
  await replicas[0]!.store.saveRun(run);
  for (const userId of [...MEMBERS, 'channel']) await replicas[0]!.store.saveConversation(TEAM, { platform: 'teams', key: userId, reference: { conversation: { id: `conv-${userId}` } } });
}

/** Two replicas tick at the same moment, twice: what was fired, in all. */
async function ticks(iso: string): Promise<string[]> {
  clock.set(iso);
  const fired: string[] = [];
  for (let round = 0; round < 2; round++) for (const result of await Promise.all(replicas.map((r) => tick(r)))) fired.push(...result.fired);
  return fired.sort();
}

beforeEach(() => {
  namespace = newNamespace();
  replicas = [];
});
afterEach(async () => {
  await Promise.all(replicas.map((r) => r.close()));
  await dropNamespace(namespace);
});

describe('the scheduler fires each send once, at its time', () => {
  it('notice, reminder and the læringssamtale’s own card: never early, once across two replicas and two ticks', async () => {
    await setUp(p, 2);
    expect(await ticks('2026-09-16T05:59:00Z')).toEqual([]);
    expect(await ticks('2026-09-16T06:00:00Z')).toEqual(['moede#notice']);
    expect(await ticks('2026-09-17T06:00:00Z')).toEqual(['samtale#notice']);
    expect(await ticks('2026-09-23T05:29:00Z')).toEqual([]);
    expect(await ticks('2026-09-23T05:30:00Z')).toEqual(['moede#reminder']);
    expect(await ticks('2026-09-24T05:30:00Z')).toEqual(['samtale#reminder']);
    expect(await ticks('2026-09-24T10:59:00Z')).toEqual([]);
    expect(await ticks('2026-09-24T11:00:00Z')).toEqual(['samtale']);
    expect(await ticks('2026-12-01T00:00:00Z')).toEqual([]);

    // One outbox item per recipient and send; the sends of one occurrence do not collide.
    const r = replicas[0]!;
    for (const userId of MEMBERS) {
      expect(await r.outbox.get(TEAM, 'moede#notice', userId)).toMatchObject({ state: 'pending', card: { name: 'notice' } });
      expect(await r.outbox.get(TEAM, 'moede#reminder', userId)).toMatchObject({ state: 'pending', card: { name: 'reminder' } });
    }
    expect(await r.outbox.get(TEAM, 'samtale', 'leder')).toMatchObject({ card: { name: 'learning-conversation' } });
    expect(await r.outbox.get(TEAM, 'samtale#notice', 'leder')).toMatchObject({ card: { name: 'notice' } });
    expect(await r.outbox.get(TEAM, 'samtale', 's1')).toBeUndefined();

    // The notice carries the occurrence's own ref and a signed calendar link for it.
    const notice = (await r.outbox.get(TEAM, 'moede#notice', 's1'))!;
    const data = notice.card!.data as { ref: { occurrenceId: string }; calendarUrl: string; roles: string[] };
    expect(data.ref.occurrenceId).toBe('moede');
    expect(data.roles).toEqual(['leader', 'staff']);
    const token = /^https:\/\/sparring\.example\.dk\/calendar\/(.+)\.ics$/.exec(data.calendarUrl)?.[1];
    expect(verifyCalendarToken(LINKS.secret, token!)).toEqual({ team: TEAM, occurrenceId: 'moede' });

    // And they go out through delivery like any card.
    const channel = new RecordingChannel();
    clock.set('2026-12-01T00:00:01Z');
    const counts = await deliverDue({ ...r, channels: { teams: channel } });
    expect(counts.sent).toBe(3 + 3 + 1 + 1 + 1);
    expect(channel.sent.filter((s) => s.key?.endsWith('/moede#notice/s1'))).toHaveLength(1);
  });

  it('after downtime: the notice of a meeting already held and a reminder after the meeting are stale, logged, never sent', async () => {
    await setUp(p, 1);
    clock.set('2026-09-23T12:30:00Z'); // Wednesday 14:30: the meeting is over, tomorrow's læringssamtale not yet
    const result = await tick(replicas[0]!);
    expect(result.stale.sort()).toEqual(['moede#notice', 'moede#reminder']);
    expect(result.fired).toEqual(['samtale#notice']);
    expect(replicas[0]!.logger.entries.filter((e) => e.message === 'stale occurrence skipped').map((e) => e.fields['send'])).toEqual(expect.arrayContaining(['moede#notice', 'moede#reminder']));
    expect(await replicas[0]!.outbox.get(TEAM, 'moede#notice', 's1')).toBeUndefined();
  });

  it('a run already under way keeps its fired cards: an occurrence fired under its id before the upgrade is not sent again', async () => {
    const prompt = tinyProgramme([{ id: 'refleksion', kind: 'reflectionPrompt', timing: { type: 'offset', days: 0, time: '09:00' } }]);
    await setUp(prompt, 1);
    const r = replicas[0]!;
    clock.set('2026-09-07T07:00:00Z');
    // What the scheduler before lead times recorded: the occurrence id as the claim.
    expect(await r.claims.claim(TEAM, 'refleksion', 'old-version', 60_000, clock.now().getTime())).toBe('claimed');
    await r.claims.complete(TEAM, 'refleksion', 'old-version');
    expect((await tick(r)).fired).toEqual([]);
  });
});
