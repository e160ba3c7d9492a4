// Retention of every copy: applyRetention (RETENTION_DAYS) deletes, beside old replies, the outbox's sent
// and dead items and its dead letters older than the cut-off, and the playground's messages and mails;
// newer ones stay, and so does every item still to be sent. On Redis and on the embedded store.
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { applyRetention, type TranscriptRetention } from '../../src/app/apply-retention.ts';
import type { LocalMessage, LocalTranscriptStore, NewWorkItem, Outbox, OutboxRecords, StoreImplementation, TeamRef } from '../../src/app/ports.ts';
import { EmbeddedData } from '../../src/store/embedded/embedded-data.ts';
import { EmbeddedLocalTranscript } from '../../src/store/embedded/embedded-local-transcript.ts';
import { EmbeddedMembers } from '../../src/store/embedded/embedded-members.ts';
import { EmbeddedStore } from '../../src/store/embedded/embedded-store.ts';
import { MemoryOutbox } from '../../src/store/embedded/memory-delivery.ts';
import { RedisOutbox } from '../../src/store/redis/redis-delivery.ts';
import { RedisLocalTranscript } from '../../src/store/redis/redis-local-transcript.ts';
import { RedisMembers } from '../../src/store/redis/redis-members.ts';
import { RedisTeams } from '../../src/store/redis/redis-team.ts';
import { fakeClock, memoryLogger } from '../support/fakes.ts';
import { countingRandom, redisStore } from '../support/stores.ts';

const TEAM: TeamRef = { tenant: 'odense', team: '19:solsikken{x}@thread.tacv2' };
const OLD = '2026-10-01T08:00:00.000Z';
const NEW = '2026-11-15T08:00:00.000Z';
/** 30 days before 2026-12-01T08:00Z. */
const NOW = '2026-12-01T08:00:00.000Z';
const CUTOFF = Date.parse('2026-11-01T08:00:00.000Z');

interface World {
  store: StoreImplementation;
  outbox: Outbox & OutboxRecords;
  transcript: LocalTranscriptStore & TranscriptRetention;
  cleanup(): Promise<void>;
}

const WORLDS: Array<[string, () => Promise<World>]> = [
  [
    'redis',
    async () => {
      const subject = await redisStore();
      const redis = new Redis(inject('redisUrl'));
      const teams = new RedisTeams(redis, subject.namespace);
      return {
        store: subject.store,
        outbox: new RedisOutbox(redis, subject.namespace),
        transcript: new RedisLocalTranscript(teams, new RedisMembers(teams)),
        async cleanup() {
          await subject.cleanup();
          await redis.quit();
        },
      };
    },
  ],
  [
    'embedded',
    async () => {
      // The playground's transcript lives in the store's file; here on its own data, beside the store.
      const data = new EmbeddedData(undefined);
      return { store: new EmbeddedStore(undefined, countingRandom()), outbox: new MemoryOutbox(), transcript: new EmbeddedLocalTranscript(data, new EmbeddedMembers(data)), cleanup: async () => {} };
    },
  ],
];

const card = (recipient: string, occurrenceId: string): NewWorkItem => ({
  team: TEAM,
  occurrenceId,
  recipient,
  card: { name: 'reflection-prompt', data: { title: 'Hvad gjorde du?' }, locale: 'da', timeZone: 'Europe/Copenhagen' },
});
const message = (id: string, at: string, updatedAt?: string): LocalMessage => ({ id, at, ...(updatedAt ? { updatedAt } : {}), card: { type: 'AdaptiveCard' }, text: id });

describe.each(WORLDS)('retention of every copy: %s', (_name, build) => {
  let world: World;
  beforeEach(async () => {
    world = await build();
  });
  afterEach(() => world.cleanup());

  async function seed() {
    const { store, outbox, transcript } = world;
    await store.saveRun({
      team: TEAM,
      programmeId: 'odense-science-boernehoejde',
      start: '2026-08-10',
      settings: {},
      timeZone: 'Europe/Copenhagen',
      country: 'DK',
      locale: 'da',
      active: true,
      members: [{ userId: 'anna', roles: ['staff'], email: 'anna@example.org' }],
      channelKey: 'channel',
    });
    // Outbox: sent and dead long ago, sent and dead lately, one still waiting since long ago.
    const at = (iso: string) => Date.parse(iso);
    await outbox.enqueue([card('anna', 'old-sent'), card('anna', 'old-dead'), card('anna', 'old-pending'), card('anna', 'new-sent'), card('anna', 'new-dead')], at(OLD) - 1_000);
    const taken = await outbox.take(at(OLD) - 1_000, 10, 60_000);
    const find = (occurrenceId: string) => taken.find((i) => i.occurrenceId === occurrenceId)!;
    await outbox.markSent(find('old-sent'), 'm-1', at(OLD));
    await outbox.deadLetter(find('old-dead'), '403 blocked', at(OLD));
    await outbox.markSent(find('new-sent'), 'm-2', at(NEW));
    await outbox.deadLetter(find('new-dead'), '403 blocked', at(NEW));
    // The playground: a member's conversation and the channel, with an old prompt answered lately (replaced: it stays).
    await transcript.saveLocalMessage(TEAM, 'anna', message('old', OLD));
    await transcript.saveLocalMessage(TEAM, 'anna', message('answered-lately', OLD, NEW));
    await transcript.saveLocalMessage(TEAM, 'anna', message('new', NEW));
    await transcript.saveLocalMessage(TEAM, 'channel', message('old-summary', OLD));
    await transcript.saveLocalMessage(TEAM, 'channel', message('new-summary', NEW));
    await transcript.saveLocalMail(TEAM, { id: 'mail-old', at: OLD, to: 'anna@example.org', subject: 'Plan', text: 'Hej' });
    await transcript.saveLocalMail(TEAM, { id: 'mail-new', at: NEW, to: 'anna@example.org', subject: 'Plan', text: 'Hej' });
    // Reminders: a mute of the team's earlier run and a snooze left from long ago (its pass never came), a mute of this run.
    await store.muteReminders(TEAM, { userId: 'anna', programmeId: 'odense-science-boernehoejde', start: '2025-08-11' });
    await store.muteReminders(TEAM, { userId: 'bo', programmeId: 'odense-science-boernehoejde', start: '2026-08-10' });
    await store.snoozeReminder(TEAM, { userId: 'anna', occurrenceId: 'spoergeskema-1', until: OLD });
  }

  it('deletes the outbox items, dead letters, messages and mails older than the cut-off, and keeps the newer ones', async () => {
    await seed();
    const { store, outbox, transcript } = world;
    const logger = memoryLogger();
    const deps = { store, clock: fakeClock(NOW), logger, outboxes: [outbox], transcript };
    expect(await applyRetention(deps, 0)).toBe(0);
    // 2 items, 1 dead letter, 2 messages, 1 mail, a mute and a snooze.
    expect(await applyRetention(deps, 30)).toBe(8);
    expect((await store.reminderMutes(TEAM)).map((m) => m.userId)).toEqual(['bo']);
    expect(await store.takeDueSnoozes(TEAM, Date.parse(NOW))).toEqual([]);
    expect((await outbox.itemsFor(TEAM, ['anna'])).map((i) => i.occurrenceId).sort()).toEqual(['new-dead', 'new-sent', 'old-pending']);
    expect((await outbox.deadLetters(TEAM)).map((l) => l.occurrenceId)).toEqual(['new-dead']);
    expect((await transcript.localMessages(TEAM, 'anna')).map((m) => m.id)).toEqual(['answered-lately', 'new']);
    expect((await transcript.localMessages(TEAM, 'channel')).map((m) => m.id)).toEqual(['new-summary']);
    expect((await transcript.localMails(TEAM)).map((m) => m.id)).toEqual(['mail-new']);
    expect(logger.entries.map((e) => [e.message, e.fields['deleted']])).toEqual([
      ['old reminder mutes and snoozes deleted', 2],
      ['old outbox items deleted', 2],
      ['old dead letters deleted', 1],
      ['old playground messages and mails deleted', 3],
    ]);
    expect(logger.entries.every((e) => e.fields['cutoff'] === new Date(CUTOFF).toISOString())).toBe(true);
    // A second sweep finds nothing more.
    expect(await applyRetention(deps, 30)).toBe(0);
  });

  it('the outbox port alone: deleteBefore and deleteDeadLettersBefore keep what is newer and what is still to be sent', async () => {
    await seed();
    const { outbox, transcript } = world;
    expect(await outbox.deleteBefore(TEAM, CUTOFF)).toBe(2);
    expect(await outbox.deleteDeadLettersBefore(TEAM, CUTOFF)).toBe(1);
    expect(await outbox.pending()).toBe(1);
    expect(await transcript.deleteLocalBefore(TEAM, new Date(CUTOFF), ['channel'])).toBe(3);
  });
});
