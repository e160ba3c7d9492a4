// Tenant isolation at Teams' entry point (POST /api/messages, the server as a web process builds it, Redis,
// TEAMS_AUTH_DISABLED, replies at the fake Bot Connector): a member of team A, by changing ids in a payload
// (another team's occurrence in a click's ref, another team or tenant in the activity's channelData and
// conversation, another team in a set-up submit), cannot read, answer or change team B's data. Every refusal is
// an error card, B's keys are the same after as before, and nothing of B's is in any answer.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { TeamRef } from '../../src/app/ports.ts';
import { parseProgramme } from '../../src/programmes/load.ts';
import { cardKind, type TeamData, teamData } from '../support/fuzz.ts';
import { partOf, seedTheirs, THEIR_NOTE, THEIR_PLAN, twoTeams } from '../support/isolation.ts';
import { activityId, cardAction, message, TEAMS_TEST_PROGRAMME, type Where } from '../support/teams-activities.ts';
import { useTeamsServer } from '../support/teams-server.ts';

const A: TeamRef = { tenant: 'tenant-iso-a', team: '19:iso-a@thread.tacv2' };
const B: TeamRef = { tenant: 'tenant-iso-b', team: '19:iso-b@thread.tacv2' };
const programme = parseProgramme(TEAMS_TEST_PROGRAMME, 'teams-test.yaml');
// 29:both is staff in A and leads B: the same id in two tenants.
const teams = twoTeams(
  programme,
  { a: A, b: B },
  {
    a: [
      { userId: '29:a-leder', roles: ['leader'] },
      { userId: '29:a-s1', roles: ['staff'] },
      { userId: '29:both', roles: ['staff'] },
    ],
    b: [
      { userId: '29:b-s1', name: 'Bodil', roles: ['staff'] },
      { userId: '29:both', roles: ['leader'] },
    ],
  },
);
const refOf = (occurrenceId: string, activityId = 'oevebane') => ({ programmeId: programme.id, activityId, occurrenceId });

describe('Teams: a member of team A cannot reach team B by changing ids', () => {
  const bot = useTeamsServer({
    name: 'iso-teams',
    programmes: { 'teams-test.yaml': TEAMS_TEST_PROGRAMME },
    env: { PROCESS_ROLE: 'web' },
    seed: async (store) => {
      await store.saveRun(teams.a);
      await seedTheirs(store, teams, 'teams');
    },
  });
  let data: TeamData;
  let theirsBefore: Record<string, string>;
  let inA: Where;
  let chatA: Where;

  beforeAll(async () => {
    data = teamData(inject('redisUrl'), bot.namespace);
    chatA = { serviceUrl: bot.fake.url, tenant: A.tenant };
    inA = { ...chatA, team: A.team };
    theirsBefore = partOf(await data.digest(), B);
    expect(Object.keys(theirsBefore).length).toBeGreaterThan(5);
  });

  afterAll(async () => {
    await data?.close();
  });

  async function post(activity: Record<string, unknown>): Promise<string> {
    const answer = await bot.post(activity);
    expect(answer.status).toBe(200);
    // A message's answer is its reply at the Bot Connector; an invoke's is the HTTP answer.
    if (activity['type'] === 'message')
      return JSON.stringify(
        bot.fake
          .accepted()
          .filter((m) => m.activity['replyToId'] === activity['id'])
          .map((m) => m.activity),
      );
    return answer.text;
  }
  async function expectBUnchanged(answer: string) {
    expect(partOf(await data.digest(), B)).toEqual(theirsBefore);
    expect(answer).not.toContain(THEIR_NOTE);
    expect(answer).not.toContain(THEIR_PLAN);
    expect(answer).not.toContain('Bodil');
  }

  it('a click on an occurrence id B also has answers in A, where the sender is; B’s answer on it is untouched', async () => {
    for (const where of [chatA, inA]) {
      const answer = await post(cardAction('29:a-s1', 'done', { card: 'practice-prompt', ref: refOf(teams.shared.id) }, { note: 'Fra A' }, where));
      expect(cardKind(answer)).toBe('card');
      await expectBUnchanged(answer);
    }
    expect((await bot.store.namedReplies(A, teams.shared.id)).map((r) => r.respondent.userId)).toEqual(['29:a-s1']);
    expect((await bot.store.namedReplies(B, teams.shared.id)).map((r) => r.values)).toEqual([{ note: THEIR_NOTE }]);
  });

  it.each([
    ['B’s team and tenant', { tenant: B.tenant, team: B.team }],
    ['B’s tenant with no team (a personal chat there)', { tenant: B.tenant }],
    ['B’s team under A’s tenant', { tenant: A.tenant, team: B.team }],
  ])('an activity naming %s in its conversation and channelData is refused as from someone not in that team', async (_, to) => {
    const where: Where = { serviceUrl: bot.fake.url, ...to };
    for (const activity of [
      cardAction('29:a-s1', 'done', { card: 'practice-prompt', ref: refOf(teams.shared.id) }, { note: 'Til B?' }, where),
      message('29:a-s1', 'plan', where),
      message('29:a-s1', 'status', where),
      message('29:a-leder', 'agenda', where),
    ]) {
      const answer = await post(activity);
      expect(cardKind(answer), JSON.stringify(activity.type)).toBe('error');
      await expectBUnchanged(answer);
    }
  });

  it('B’s tenant in the conversation with A’s team in channelData names no team at all', async () => {
    const activity = cardAction('29:a-s1', 'done', { card: 'practice-prompt', ref: refOf(teams.shared.id) }, {}, inA);
    const mixed = { ...activity, conversation: { ...activity.conversation, tenantId: B.tenant }, channelData: { ...activity.channelData, tenant: { id: B.tenant } } };
    const answer = await post(mixed);
    expect(cardKind(answer)).toBe('error');
    await expectBUnchanged(answer);
  });

  it('someone who leads B and is staff in A is staff in A: no agenda posted, and B’s leadership reaches nothing of B from A', async () => {
    const answer = await post(message('29:both', 'agenda', inA));
    expect(answer).toContain('Din rolle giver ikke adgang til det.');
    await expectBUnchanged(answer);
    // Their read-only commands in A's chat answer from A's run.
    for (const text of ['status', 'hours', 'plan', 'reminders']) {
      const read = await post({ ...message('29:both', text, chatA), id: activityId() });
      expect(cardKind(read), text).toBe('card');
      await expectBUnchanged(read);
    }
  });

  it('a set-up submit from A’s tenant naming B’s team is refused, and B’s run and members stay', async () => {
    const answer = await post(cardAction('29:a-leder', 'start', { card: 'team-setup', team: B, channelId: B.team }, { programme: programme.id, start: '2026-01-05' }, inA));
    expect(cardKind(answer)).toBe('error');
    await expectBUnchanged(answer);
    expect((await bot.store.getRun(B))?.members.map((m) => m.userId).sort()).toEqual(['29:b-s1', '29:both']);
  });
});
