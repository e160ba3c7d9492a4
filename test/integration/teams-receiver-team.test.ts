// Which team an event from Teams belongs to: the team named in a channel, or, in a personal chat where
// Teams names only the tenant, the run of that tenant that has the person as a member. And the
// receiver's translation of Teams' payloads (mentions, HTML, merged card data), as pure functions.
import type { Activity } from 'botbuilder';
import { Redis } from 'ioredis';
import { beforeEach, describe, expect, inject, it } from 'vitest';
import type { AppDeps } from '../../src/app/context.ts';
import { handleInbound } from '../../src/app/inbound.ts';
import type { Run } from '../../src/app/ports.ts';
import { cardSubmitOf, commandText, seenKeyOf, teamOf } from '../../src/channels/teams/translate.ts';
import { EmbeddedStore } from '../../src/store/embedded/embedded-store.ts';
import { MemorySeenActivities } from '../../src/store/embedded/memory-seen.ts';
import { MemoryOutbox } from '../../src/store/embedded/memory-delivery.ts';
import { connectSeen } from '../../src/store/redis/redis-seen.ts';
import { fakeClock, memoryLogger } from '../support/fakes.ts';
import { programme } from '../support/plans.ts';
import { countingRandom } from '../support/stores.ts';
import { cardAction, message } from '../support/teams-activities.ts';
import { waitFor } from '../support/wait-for.ts';

const odense = programme('odense-science-boernehoejde');
const sevu = programme('sevu-kollegial-sparring');
const run = (tenant: string, team: string, programmeId: string, userIds: string[], active = true): Run => ({
  team: { tenant, team },
  programmeId,
  start: '2026-08-10',
  settings: {},
  timeZone: 'Europe/Copenhagen',
  country: 'DK',
  locale: 'da',
  active,
  members: userIds.map((userId, i) => ({ userId, roles: [i === 0 ? 'leader' : 'staff'] })),
});

describe('the team of an inbound event', () => {
  let deps: AppDeps & { logger: ReturnType<typeof memoryLogger> };
  beforeEach(async () => {
    deps = {
      store: new EmbeddedStore(undefined, countingRandom()),
      outbox: new MemoryOutbox(),
      programmes: new Map([
        [odense.id, odense],
        [sevu.id, sevu],
      ]),
      clock: fakeClock('2026-10-07T08:00:00Z'),
      random: countingRandom(),
      logger: memoryLogger(),
      canMail: true,
    };
    await deps.store.saveRun(run('t1', '19:a@thread.tacv2', odense.id, ['29:lea', '29:ada']));
    await deps.store.saveRun(run('t1', '19:b@thread.tacv2', sevu.id, ['29:bo', '29:ada'], false));
    await deps.store.saveRun(run('t2', '19:c@thread.tacv2', odense.id, ['29:carl']));
  });
  const statusOf = async (tenant: string, userId: string, team?: string) =>
    handleInbound(deps, { platform: 'teams', team: team ? { tenant, team } : { tenant }, platformUserId: userId, input: { kind: 'command', text: 'status' } });

  it('is the named team in a channel', async () => {
    expect(await statusOf('t1', '29:bo', '19:b@thread.tacv2')).toMatchObject({ card: 'status' });
    expect(await statusOf('t1', '29:bo', '19:a@thread.tacv2')).toMatchObject({ card: 'error', data: { code: 'notMember' } });
  });

  it('is the tenant’s run that has the person, in a personal chat', async () => {
    expect(await statusOf('t1', '29:bo')).toMatchObject({ card: 'status' });
    expect(await statusOf('t2', '29:carl')).toMatchObject({ card: 'status' });
  });

  it('is no run for someone of another tenant, even with the same id', async () => {
    expect(await statusOf('t2', '29:bo')).toMatchObject({ card: 'error', data: { code: 'notMember' } });
    expect(await statusOf('t1', '29:carl')).toMatchObject({ card: 'error', data: { code: 'notMember' } });
  });

  it('of a person in two teams, is the one whose programme the clicked card is from, else the active one', async () => {
    const click = (programmeId: string) =>
      handleInbound(deps, {
        platform: 'teams',
        team: { tenant: 't1' },
        platformUserId: '29:ada',
        input: { kind: 'action', verb: 'done', data: { card: 'practice-prompt', ref: { programmeId, activityId: 'x', occurrenceId: 'y' } }, inputs: {} },
      });
    // The reference is made up, so the action is refused as an unknown occurrence, in the team it chose.
    await click(sevu.id);
    await click(odense.id);
    const refusals = deps.logger.entries.filter((e) => e.message === 'card action refused').map((e) => e.fields['team']);
    expect(refusals).toEqual(['19:b@thread.tacv2', '19:a@thread.tacv2']);
    await statusOf('t1', '29:ada');
    expect(deps.logger.entries.at(-1)).toMatchObject({ message: 'person in several teams of the tenant: one chosen', fields: { team: '19:a@thread.tacv2', runs: 2 } });
  });
});

describe('Teams payloads, translated', () => {
  const where = { serviceUrl: 'http://127.0.0.1:1/', tenant: 't1' };
  const asActivity = (value: unknown) => value as Activity;

  it('reads the team and tenant of a channel, the tenant alone of a personal chat', () => {
    expect(teamOf(asActivity(message('29:ada', 'plan', { ...where, team: '19:a@thread.tacv2' })))).toEqual({ tenant: 't1', team: '19:a@thread.tacv2' });
    expect(teamOf(asActivity(message('29:ada', 'plan', where)))).toEqual({ tenant: 't1' });
    const onlyConversation = { ...message('29:ada', 'plan', where), channelData: {} };
    expect(teamOf(asActivity(onlyConversation))).toEqual({ tenant: 't1' });
    // A group chat is a team of its own (as lifecycle.ts sets it up), named by its conversation.
    const personal = message('29:ada', 'plan', where);
    const groupChat = { ...personal, conversation: { id: '19:chat@unq.gbl.spaces;messageid=42', conversationType: 'groupChat', isGroup: true, tenantId: 't1' } };
    expect(teamOf(asActivity(groupChat))).toEqual({ tenant: 't1', team: '19:chat@unq.gbl.spaces' });
  });

  it.each([
    ['agenda', 'agenda'],
    ['sparring agenda', 'agenda'],
    ['/sparring agenda', 'agenda'],
    ['  Sparring   Plan ', 'Plan'],
    ['<p>sparring&nbsp;status</p>', 'status'],
    ['sparringsbot plan', 'sparringsbot plan'],
    ['', ''],
  ])('takes “%s” in a personal chat as the command “%s”', (text, command) => {
    expect(commandText(asActivity(message('29:ada', text, where)))).toBe(command);
  });

  it('takes the bot’s @mention out of a channel message, with or without its mention entity', () => {
    const channel = { ...where, team: '19:a@thread.tacv2' };
    const mentioned = message('29:ada', 'sparring agenda', channel);
    expect(commandText(asActivity(mentioned))).toBe('agenda');
    expect(mentioned.text).toBe('<at>Sparringsbot</at> sparring agenda');
    expect(commandText(asActivity({ ...mentioned, entities: [] }))).toBe('agenda');
    expect(commandText(asActivity({ ...mentioned, text: undefined }))).toBeUndefined();
  });

  it('separates the card’s data (card, ref) from the inputs Teams merged into it', () => {
    const ref = { programmeId: 'p', activityId: 'a', occurrenceId: 'o' };
    const { value } = cardAction('29:ada', 'answer', { card: 'questionnaire', ref }, { 'answer:q1': '4', note: 'x', msteams: { type: 'task/fetch' } }, where);
    expect(cardSubmitOf(value)).toEqual({ verb: 'answer', data: { card: 'questionnaire', ref }, inputs: { 'answer:q1': '4', note: 'x' } });
    // The set-up card names the team it sets up in its data.
    const setup = cardAction(
      '29:ada',
      'start',
      { card: 'team-setup', team: { tenant: 't1', team: '19:a@thread.tacv2' }, channelId: '19:a@thread.tacv2' },
      { programme: 'x', 'role:29:ada': 'leader' },
      where,
    );
    expect(cardSubmitOf(setup.value)).toEqual({
      verb: 'start',
      data: { card: 'team-setup', team: { tenant: 't1', team: '19:a@thread.tacv2' }, channelId: '19:a@thread.tacv2' },
      inputs: { programme: 'x', 'role:29:ada': 'leader' },
    });
    expect(cardSubmitOf({ action: { type: 'Action.Submit', data: {} } })).toBeUndefined();
    expect(cardSubmitOf({ action: { type: 'Action.Execute', verb: 'done' } })).toEqual({ verb: 'done', data: {}, inputs: {} });
    expect(cardSubmitOf(undefined)).toBeUndefined();
  });

  it('keys a resent activity by its conversation and id', () => {
    const activity = message('29:ada', 'plan', where, '1:abc');
    const key = seenKeyOf(asActivity(activity));
    expect(key).toMatch(/^teams:[0-9a-f]{32}$/);
    expect(seenKeyOf(asActivity({ ...activity }))).toBe(key);
    // No chat id in it: a personal chat's is the person's.
    expect(key).not.toContain('ada');
    expect(seenKeyOf(asActivity({ ...activity, id: '1:abd' }))).not.toBe(key);
    expect(seenKeyOf(asActivity({ ...activity, conversation: { ...activity.conversation, id: 'a:other' } }))).not.toBe(key);
    expect(seenKeyOf(asActivity({ ...activity, id: undefined }))).toBeUndefined();
  });

  it('remembers a seen key for its time, in memory as on Redis', async () => {
    let now = 0;
    const seen = new MemorySeenActivities(() => now);
    expect(await seen.firstTime('k', 1_000)).toBe(true);
    expect(await seen.firstTime('k', 1_000)).toBe(false);
    expect(await seen.firstTime('other', 1_000)).toBe(true);
    now = 1_000;
    expect(await seen.firstTime('k', 1_000)).toBe(true);
    expect(await seen.firstTime('k', 1_000)).toBe(false);
  });
});

describe('seen activity ids on Redis', () => {
  it('lets the first of two at once go ahead, under the namespace, for the TTL only', async () => {
    const namespace = `seen-${process.pid}-${Date.now().toString(36)}`;
    const [a, b] = [connectSeen(inject('redisUrl'), namespace), connectSeen(inject('redisUrl'), namespace)];
    const redis = new Redis(inject('redisUrl'));
    try {
      const answers = await Promise.all([a.firstTime('teams|a:1|1:x', 60_000), b.firstTime('teams|a:1|1:x', 60_000)]);
      expect(answers.sort()).toEqual([false, true]);
      const [key, ...more] = await redis.keys(`${namespace}:*`);
      expect(more).toEqual([]);
      expect(key).toBe(`${namespace}:seen:${encodeURIComponent('teams|a:1|1:x')}`);
      const ttl = await redis.pttl(key!);
      expect(ttl).toBeGreaterThan(50_000);
      expect(ttl).toBeLessThanOrEqual(60_000);
      expect(await a.firstTime('teams|a:1|1:short', 1)).toBe(true);
      // Seen again once its millisecond is over.
      await waitFor(() => b.firstTime('teams|a:1|1:short', 1), { what: 'a 1 ms mark to expire' });
      await redis.del(...(await redis.keys(`${namespace}:*`)));
    } finally {
      await Promise.all([a.close(), b.close(), redis.quit()]);
    }
  });
});
