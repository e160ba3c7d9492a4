// A fan-out queued through the paced outbox reaches the queue spread at each tenant's rate, on Redis and in
// memory alike, so delivery finds a steady stream to send instead of one burst to turn away.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConversationRef, NewWorkItem, TeamRef } from '../../src/app/ports.ts';
import { PLATFORM_LIMITS } from '../../src/delivery/limits.ts';
import { pacedOutbox } from '../../src/delivery/pace.ts';
import { DELIVERIES, type DeliveryUnderTest } from '../support/delivery-ports.ts';

const T0 = Date.parse('2026-09-14T07:00:00.000Z');
const LEASE = 60_000;
const SOLSIKKEN: TeamRef = { tenant: 'odense', team: 'solsikken' };
const MAELKEBOETTEN: TeamRef = { tenant: 'odense', team: 'maelkeboetten' };
const AARHUS: TeamRef = { tenant: 'aarhus', team: 'bikuben' };
const SLACK: TeamRef = { tenant: 'T0KOLDING', team: 'C0KOLDING' };
/** Teams: 50 a second per tenant, each second counted with its 20 ms margin, paced 5% slower: one send every 21.42 ms. */
const TEAMS_INTERVAL = (1_020 * 1.05) / 50;

const card = (team: TeamRef, recipient: string, occurrenceId = 'spoergeskema-1'): NewWorkItem => ({
  team,
  occurrenceId,
  recipient,
  card: { name: 'help', data: { commands: ['help'] }, locale: 'da', timeZone: 'Europe/Copenhagen' },
});
const people = (team: TeamRef, count: number, prefix = 'u') => Array.from({ length: count }, (_, i) => card(team, `${prefix}${i}`));

/** Where each team's people are reached: Teams, except the Slack workspace's; one Teams team has none yet. */
const store = {
  async getConversation(team: TeamRef, key: string): Promise<ConversationRef | undefined> {
    if (team.team === 'ny') return undefined;
    return { platform: team.tenant === SLACK.tenant ? 'slack' : 'teams', key, reference: {} };
  },
};

describe.each(DELIVERIES)('paced enqueueing: %s', (_name, factory) => {
  let subject: DeliveryUnderTest;
  beforeEach(async () => {
    subject = await factory(PLATFORM_LIMITS);
  });
  afterEach(() => subject.cleanup());

  /** When each queued item comes due: taken one by one, each at the first moment it can be. */
  async function dueTimes(count: number, until = T0 + 120_000) {
    const { outbox } = subject;
    const times: number[] = [];
    for (let at = (await outbox.nextDue()) ?? Infinity; times.length < count && at <= until; at = (await outbox.nextDue()) ?? Infinity) {
      for (const item of await outbox.take(at, 1_000, LEASE)) {
        times.push(at);
        await outbox.markSent(item, 'm', at);
      }
    }
    return times;
  }

  it('spreads a team’s cards at its tenant’s rate, and a second team of the tenant after the first', async () => {
    const outbox = pacedOutbox(subject.outbox, { limiter: subject.limiter, store });
    expect(await outbox.enqueue(people(SOLSIKKEN, 100), T0)).toBe(100);
    expect(await outbox.enqueue(people(MAELKEBOETTEN, 50), T0 + 100)).toBe(50);
    const times = await dueTimes(150);
    expect(times).toHaveLength(150);
    expect(times.slice(0, 3)).toEqual([T0, T0 + 21, T0 + 43]);
    expect(times[99]).toBe(T0 + Math.round(99 * TEAMS_INTERVAL));
    // The tenant's pace went on to T0 + 2142: the second team follows from there, not from when it was queued.
    expect(times[100]).toBe(T0 + 2_142);
    expect(times[149]).toBe(T0 + 2_142 + Math.round(49 * TEAMS_INTERVAL));
    // Never more than 50 in any second.
    for (let i = 50; i < times.length; i++) expect(times[i]! - times[i - 50]!).toBeGreaterThanOrEqual(1_000);
  });

  it('paces each tenant on its own and each platform at its own rate', async () => {
    const outbox = pacedOutbox(subject.outbox, { limiter: subject.limiter, store });
    await outbox.enqueue([...people(SOLSIKKEN, 60), ...people(AARHUS, 60), ...people(SLACK, 3)], T0);
    const { outbox: raw } = subject;
    // Both Teams tenants start at once; Slack's 300 a minute is one every 210 ms (with its margin, 5% slower).
    expect((await raw.take(T0, 1_000, LEASE)).map((i) => i.team.tenant).sort()).toEqual(['T0KOLDING', 'aarhus', 'odense']);
    expect((await raw.take(T0 + 210, 1_000, LEASE)).filter((i) => i.team.tenant === SLACK.tenant)).toHaveLength(1);
    // By T0 + 1000 the 47th card of each Teams tenant is due (cards 11 to 47: 37 each), and Slack's third (at 420 ms).
    expect(await raw.take(T0 + 1_000, 1_000, LEASE)).toHaveLength(2 * 37 + 1);
  });

  it('leaves due as asked: mails, items due later, and a team whose platform is not known yet', async () => {
    const outbox = pacedOutbox(subject.outbox, { limiter: subject.limiter, store });
    const mails: NewWorkItem[] = [1, 2, 3].map((n) => ({ team: SOLSIKKEN, occurrenceId: 'mail:1', recipient: `mail:${n}@example.org`, mail: { to: `${n}@example.org`, subject: 'Plan', text: 'x' } }));
    const newTeam = people({ tenant: 'odense', team: 'ny' }, 5, 'n');
    const later = people(SOLSIKKEN, 2, 'later');
    await outbox.enqueue([...mails, ...newTeam, ...later, ...people(SOLSIKKEN, 3)], T0, [...mails.map(() => T0), ...newTeam.map(() => T0), T0 + 60_000, T0 + 60_000]);
    const lease = 3_600_000;
    expect(await subject.outbox.take(T0, 1_000, lease)).toHaveLength(3 + 5 + 1);
    expect(await subject.outbox.take(T0 + 43, 1_000, lease)).toHaveLength(2);
    expect(await subject.outbox.take(T0 + 59_999, 1_000, lease)).toHaveLength(0);
    expect((await subject.outbox.take(T0 + 60_000, 1_000, lease)).map((i) => i.recipient).sort()).toEqual(['later0', 'later1']);
  });
});
