// Tenant isolation at the CLI, the operator's tool (`sparring export` and `sparring erase`, in-process, on Redis:
// store and outbox): two teams of the same id in two tenants, and in each a person of the same id with data of
// every kind (member entry with the same address, named and anonymous replies, a document, hours, a muted
// reminder, a snooze, a conversation, the playground's transcript, outbox items sent, pending and dead). Export and
// erase of the person in one team read and touch that team's data only; a team id that is in both tenants is
// refused until the tenant is named.
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import type { Outbox, OutboxRecords, StoreImplementation, TeamRef } from '../../src/app/ports.ts';
import { runCli } from '../../src/cli/run.ts';
import { teamIndexMember, teamQueueKey } from '../../src/store/keys.ts';
import { connectOutbox } from '../../src/store/redis/redis-delivery.ts';
import { type TeamData, teamData } from '../support/fuzz.ts';
import { partOf } from '../support/isolation.ts';
import { redisStore, type StoreUnderTest } from '../support/stores.ts';
import { Redis } from 'ioredis';

const KOLDING: TeamRef = { tenant: 'kolding', team: 'skole-syd' };
const VEJLE: TeamRef = { tenant: 'vejle', team: 'skole-syd' };
const ANNA = { userId: 'anna', email: 'anna@example.org' };
const noteOf = (team: TeamRef) => `Annas note i ${team.tenant}`;
const T0 = Date.parse('2026-10-05T08:00:00Z');

/** Anna in one team: everything a person can have there, each text naming the tenant. */
async function seedAnna(store: StoreImplementation, outbox: Outbox, team: TeamRef) {
  const at = '2026-10-05T09:00:00.000Z';
  const respondent = { userId: ANNA.userId, platform: 'teams' as const, platformUserId: `29:${ANNA.userId}` };
  await store.saveMember(team, { userId: ANNA.userId, name: 'Anna', email: ANNA.email, roles: ['leader'] });
  await store.saveMember(team, { userId: 'bo', name: 'Bo', roles: ['staff'] });
  await store.recordReply(team, { occurrenceId: 'laeringssamtale-1', respondent, answers: { outcome: 'answered', values: { gjort: noteOf(team) } }, at, anonymous: false, day: '2026-10-05' });
  await store.recordReply(team, { occurrenceId: 'spoergeskema-1', respondent, answers: { outcome: 'answered', values: { tryghed: '4' } }, at, anonymous: true, day: '2026-10-05' });
  await store.saveDocument(team, { kind: 'actionPlan', occurrenceId: 'handleplan-1', authorId: ANNA.userId, fields: { maal: noteOf(team) }, status: 'saved', at });
  await store.addHours(team, { userId: ANNA.userId, occurrenceId: 'laeringssamtale-1', role: 'leader', hours: 2, at });
  await store.muteReminders(team, { userId: ANNA.userId, programmeId: 'kolding-laeringssamtale', start: '2026-08-10' });
  await store.snoozeReminder(team, { userId: ANNA.userId, occurrenceId: 'refleksion-2', until: '2026-10-06T07:00:00.000Z' });
  await store.saveConversation(team, { platform: 'teams', key: ANNA.userId, reference: { user: { id: `29:${ANNA.userId}` }, tenant: team.tenant } });
  await store.saveLocalMessage(team, ANNA.userId, { id: `local-${team.tenant}`, at, card: { type: 'AdaptiveCard' }, text: noteOf(team) });
  const card = (answer: string) => ({ name: 'reflection-prompt' as const, data: { title: 'Hvad gjorde du?', answer }, locale: 'da' as const, timeZone: 'Europe/Copenhagen' });
  await outbox.enqueue(
    [
      { team, occurrenceId: 'refleksion-1', recipient: ANNA.userId, card: card(noteOf(team)) },
      { team, occurrenceId: 'refleksion-2', recipient: ANNA.userId, card: card('ingen') },
      { team, occurrenceId: 'refleksion-3', recipient: ANNA.userId, card: card('ingen') },
      { team, occurrenceId: 'pre-visit:besoeg-1', recipient: `mail:${ANNA.email}`, mail: { to: ANNA.email, subject: 'Plan', text: noteOf(team) } },
    ],
    T0,
  );
  const taken = await outbox.take(T0, 100, 60_000);
  const mine = (occurrenceId: string) => taken.find((i) => i.team.tenant === team.tenant && i.occurrenceId === occurrenceId)!;
  await outbox.markSent(mine('refleksion-1'), `m-${team.tenant}`, T0 + 1000);
  await outbox.deadLetter(mine('refleksion-2'), '403 blocked by user', T0 + 2000);
  await outbox.retryAt(mine('refleksion-3'), T0 + 60_000, '429 later', 'failed', T0 + 3000);
}

describe('sparring export and erase: one team’s person, never the other tenant’s of the same ids', () => {
  let subject: StoreUnderTest;
  let outbox: ReturnType<typeof connectOutbox>;
  let data: TeamData;

  beforeEach(async () => {
    subject = await redisStore();
    outbox = connectOutbox(inject('redisUrl'), subject.namespace!);
    data = teamData(inject('redisUrl'), subject.namespace!);
    for (const team of [KOLDING, VEJLE]) await seedAnna(subject.store, outbox, team);
  });
  afterEach(async () => {
    await data.close();
    await outbox.close();
    await subject.cleanup();
  });

  async function sparring(...argv: string[]) {
    let out = '';
    let err = '';
    const code = await runCli(
      argv,
      { out: { write: (s: string) => (out += s) }, err: { write: (s: string) => (err += s) } },
      { openStore: () => subject.reopen(), openOutbox: () => connectOutbox(inject('redisUrl'), subject.namespace) },
    );
    return { code, out, err };
  }

  /** Everything of one team: its keys, its items in the delivery queue and its dead letters (both shared by all teams), and the person's export. */
  async function viewOf(team: TeamRef) {
    const redis = new Redis(inject('redisUrl'));
    try {
      const flat = await redis.zrange(teamQueueKey(team, subject.namespace), '0', '-1', 'WITHSCORES');
      const queued = flat.flatMap((member, i) => (i % 2 === 0 && member.startsWith(`${teamIndexMember(team)}|`) ? [`${member} at ${flat[i + 1]}`] : []));
      const letters = await (outbox as OutboxRecords & Outbox).deadLetters(team, 1000);
      const exported = await sparring('export', '--team', team.team, '--tenant', team.tenant, '--user', ANNA.userId);
      return { keys: partOf(await data.digest(), team), queued, letters, exported };
    } finally {
      await redis.quit();
    }
  }

  it('exports the person of the named tenant’s team only', async () => {
    const vejle = await viewOf(VEJLE);
    const { code, out, err } = await sparring('export', '--team', 'skole-syd', '--tenant', 'kolding', '--user', 'anna');
    expect({ code, err }).toEqual({ code: 0, err: '' });
    expect(out).toContain(noteOf(KOLDING));
    expect(out).not.toContain(noteOf(VEJLE));
    expect(out).not.toContain('"vejle"');
    expect(JSON.parse(out)).toMatchObject({ team: KOLDING, userId: 'anna' });
    expect(await viewOf(VEJLE)).toEqual(vejle);
  });

  it('erases the person of the named tenant’s team, and leaves the other tenant’s person of the same ids as it was', async () => {
    const vejle = await viewOf(VEJLE);
    expect(vejle.exported.out).toContain(noteOf(VEJLE));
    expect(vejle.letters).toHaveLength(1);
    expect(vejle.queued.length).toBeGreaterThan(0);
    const { code, err } = await sparring('erase', '--team', 'skole-syd', '--tenant', 'kolding', '--user', 'anna', '--locale', 'en');
    expect({ code, err }).toEqual({ code: 0, err: '' });
    // Kolding's Anna is gone, Vejle's is all there.
    expect((await viewOf(KOLDING)).exported.out).not.toContain(noteOf(KOLDING));
    expect(await viewOf(VEJLE)).toEqual(vejle);
  });

  it('refuses a team id used in both tenants until the tenant is named, and changes nothing', async () => {
    const before = await data.digest();
    for (const command of ['erase', 'export']) {
      const { code, out, err } = await sparring(command, '--team', 'skole-syd', '--user', 'anna');
      expect({ code, out }).toEqual({ code: 2, out: '' });
      expect(err).toContain('kolding, vejle');
    }
    expect(await data.digest()).toEqual(before);
  });

  it('sparring status --team lists that team’s dead letters only: occurrence, whom, reason and when', async () => {
    const { code, out, err } = await sparring('status', '--team', 'skole-syd', '--tenant', 'kolding', '--locale', 'en');
    expect({ code, err }).toEqual({ code: 0, err: '' });
    expect(out).toContain('Could not be delivered (1):');
    expect(out).toContain(`  ${new Date(T0 + 2000).toISOString()}  kolding/skole-syd  refleksion-2 → person anna  (0): 403 blocked by user\n`);
    expect(out).not.toContain('vejle');
  });

  it('sparring resend puts the named team’s dead letters back in the queue and says how many; the other tenant’s stay dead', async () => {
    expect(await sparring('resend', '--team', 'skole-syd', '--tenant', 'vejle', '--occurrence', 'refleksion-1', '--locale', 'en')).toEqual({ code: 0, out: 'Queued again: 0\n', err: '' });
    expect(await sparring('resend', '--team', 'skole-syd', '--tenant', 'vejle', '--locale', 'en')).toEqual({ code: 0, out: 'Queued again: 1\n', err: '' });
    expect(await outbox.get(VEJLE, 'refleksion-2', ANNA.userId)).toMatchObject({ state: 'pending', attempts: 0 });
    expect(await outbox.deadLetters(VEJLE)).toEqual([]);
    expect(await outbox.get(KOLDING, 'refleksion-2', ANNA.userId)).toMatchObject({ state: 'dead' });
    expect(await outbox.deadLetters(KOLDING)).toHaveLength(1);
    const status = await sparring('status', '--team', 'skole-syd', '--tenant', 'vejle', '--locale', 'en');
    expect(status.out).toContain('No messages that could not be delivered.');
  });

  it('sparring status and resend of a team the store does not know: exit 1, the known teams named, nothing changed', async () => {
    const before = await data.digest();
    for (const command of ['status', 'resend']) {
      const { code, out, err } = await sparring(command, '--team', 'skole-nord', '--locale', 'en');
      expect({ code, out }).toEqual({ code: 1, out: '' });
      expect(err).toBe('unknown team “skole-nord”; known teams: skole-syd\n');
    }
    expect(await data.digest()).toEqual(before);
  });

  it('refuses a tenant and team that do not go together, and changes nothing', async () => {
    const before = await data.digest();
    for (const [tenant, team] of [
      ['kolding', 'skole-nord'],
      ['aarhus', 'skole-syd'],
    ] as const) {
      const { code, out } = await sparring('erase', '--team', team, '--tenant', tenant, '--user', 'anna');
      expect({ code, out }).toEqual({ code: 2, out: '' });
    }
    expect(await data.digest()).toEqual(before);
  });
});
