// Tenant isolation at Slack's entry point (POST /slack/events, the server as a web process builds it with a
// command worker beside it, Redis, real Bolt, a fake Slack): a member of team A (workspace TA, channel CA), by
// changing ids in a command or an interaction (another workspace's team_id, another team's channel, another
// team's occurrence in a button's value, another workspace in a modal's metadata), cannot read, answer or change
// team B's data (workspace TB, channel CB). Each refusal is an error card where Slack shows the answer, or no
// answer at all; B's keys are the same after as before, and nothing of B's is in any answer or home.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { TeamRef } from '../../src/app/ports.ts';
import { answerSlackCommand } from '../../src/channels/slack/answer-command.ts';
import { buildCore, type Core } from '../../src/compose/core.ts';
import { loadConfig } from '../../src/config.ts';
import { parseProgramme } from '../../src/programmes/load.ts';
import { cardKind, type TeamData, teamData } from '../support/fuzz.ts';
import { partOf, seedTheirs, THEIR_NOTE, THEIR_PLAN, twoTeams } from '../support/isolation.ts';
import { eventCallback, buttonClick, JSON_BODY, slashCommand, useSlackServer, viewSubmission } from '../support/slack-server.ts';
import { TEAMS_TEST_PROGRAMME } from '../support/teams-activities.ts';
import { waitFor } from '../support/wait-for.ts';

const A: TeamRef = { tenant: 'TA', team: 'CA' };
const B: TeamRef = { tenant: 'TB', team: 'CB' };
const programme = parseProgramme(TEAMS_TEST_PROGRAMME, 'teams-test.yaml');
// UBOTH is staff in A and leads B: one person in two workspaces of an Enterprise Grid keeps one id.
const teams = twoTeams(
  programme,
  { a: A, b: B },
  {
    a: [
      { userId: 'UA1', roles: ['leader'] },
      { userId: 'UA2', roles: ['staff'] },
      { userId: 'UBOTH', roles: ['staff'] },
    ],
    b: [
      { userId: 'UB2', name: 'Bodil', roles: ['staff'] },
      { userId: 'UBOTH', roles: ['leader'] },
    ],
  },
);
const refOf = (occurrenceId: string) => ({ programmeId: programme.id, activityId: 'oevebane', occurrenceId });

describe('Slack: a member of team A cannot reach team B by changing ids', () => {
  const slack = useSlackServer({
    name: 'iso-slack',
    programmes: { 'teams-test.yaml': TEAMS_TEST_PROGRAMME },
    env: { PROCESS_ROLE: 'web' },
    seed: async (store) => {
      await store.saveRun(teams.a);
      await seedTheirs(store, teams, 'slack');
    },
  });
  let core: Core;
  let worker: { stop(): Promise<void> };
  let data: TeamData;
  let theirsBefore: Record<string, string>;
  let answers = 0;

  beforeAll(async () => {
    core = await buildCore(loadConfig(slack.env), slack.logger);
    worker = core.commands.serve(answerSlackCommand({ ...core, canMail: false }, slack.logger), slack.logger);
    data = teamData(inject('redisUrl'), slack.namespace);
    theirsBefore = partOf(await data.digest(), B);
    expect(Object.keys(theirsBefore).length).toBeGreaterThan(5);
  });
  afterAll(async () => {
    await worker?.stop();
    await core?.close();
    await data?.close();
  });

  async function send(body: string, contentType?: string) {
    const answer = await slack.post(body, contentType ? { contentType } : {});
    expect(answer.status).toBe(200);
    return answer.text;
  }
  /** A command's answer at its response_url. */
  async function command(user: string, text: string, at: { workspace: string; channel: string }): Promise<string> {
    const id = `iso-${++answers}`;
    await send(slashCommand({ user, text, responseUrl: slack.fake.responseUrl(id), workspace: at.workspace, channel: at.channel }));
    await waitFor(() => slack.fake.calls.some((c) => c.path === `/respond/${id}`), { what: `the answer to /sparring ${text}` });
    return JSON.stringify(slack.fake.calls.find((c) => c.path === `/respond/${id}`)!.body);
  }
  /** A button's answer: the message it was in, updated. */
  async function click(user: string, value: Record<string, unknown>, at: { workspace: string; channel: string }): Promise<string> {
    const ts = `1800000000.${String(++answers).padStart(6, '0')}`;
    await send(
      buttonClick({
        user,
        workspace: at.workspace,
        in: { channel: at.channel, ts },
        trigger: `trigger-${ts}`,
        responseUrl: slack.fake.responseUrl(`click-${ts}`),
        actionId: String(value['verb']),
        value: JSON.stringify(value),
      }),
    );
    await waitFor(() => slack.fake.callsTo('chat.update').some((c) => c.body['ts'] === ts), { what: 'the clicked message updated' });
    return JSON.stringify(slack.fake.callsTo('chat.update').find((c) => c.body['ts'] === ts)!.body);
  }
  async function expectBUnchanged(answer: string) {
    expect(partOf(await data.digest(), B)).toEqual(theirsBefore);
    expect(answer).not.toContain(THEIR_NOTE);
    expect(answer).not.toContain(THEIR_PLAN);
    expect(answer).not.toContain('Bodil');
  }

  it('a button with an occurrence id B also has answers in A, where it was clicked; B’s answer on it is untouched', async () => {
    const answer = await click('UA2', { verb: 'done', card: 'practice-prompt', ref: refOf(teams.shared.id) }, { workspace: A.tenant, channel: A.team });
    expect(cardKind(answer)).toBe('card');
    await expectBUnchanged(answer);
    expect((await slack.store.namedReplies(A, teams.shared.id)).map((r) => r.respondent.userId)).toEqual(['UA2']);
    expect((await slack.store.namedReplies(B, teams.shared.id)).map((r) => r.values)).toEqual([{ note: THEIR_NOTE }]);
  });

  it.each([
    ['B’s workspace and channel', { workspace: B.tenant, channel: B.team }],
    ['B’s workspace, in a direct message', { workspace: B.tenant, channel: 'DUA2' }],
    ['B’s channel in A’s workspace', { workspace: A.tenant, channel: B.team }],
  ])('a command or a button naming %s is refused as from someone not in that team', async (_, at) => {
    for (const text of ['plan', 'status', 'hours', 'role', 'reminders off']) {
      const answer = await command('UA2', text, at);
      expect(cardKind(answer), text).toBe('error');
      await expectBUnchanged(answer);
    }
    const answer = await click('UA2', { verb: 'done', card: 'practice-prompt', ref: refOf(teams.shared.id) }, at);
    expect(cardKind(answer)).toBe('error');
    await expectBUnchanged(answer);
  });

  it('someone who leads B and is staff in A is staff in A’s channel: no agenda, no role change, and nothing of B answered', async () => {
    for (const text of ['agenda', 'role UA2 leader', 'calendar flyt x']) {
      const answer = await command('UBOTH', text, { workspace: A.tenant, channel: A.team });
      expect(cardKind(answer), text).toBe('error');
      await expectBUnchanged(answer);
    }
    expect((await slack.store.getRun(A))?.members.find((m) => m.userId === 'UA2')?.roles).toEqual(['staff']);
  });

  it('a modal submitted from A’s workspace with B’s workspace in its metadata is refused, and answered nowhere', async () => {
    const updates = slack.fake.callsTo('chat.update').length;
    const view = {
      type: 'modal',
      callback_id: 'done',
      private_metadata: JSON.stringify({ data: { card: 'practice-prompt', ref: refOf(teams.shared.id) }, tenant: B.tenant, team: B.team, channel: B.team, ts: '1800000001.000100' }),
    };
    const answer = await send(viewSubmission({ user: 'UA2', view, values: { note: { type: 'plain_text_input', value: 'Til B?' } }, workspace: A.tenant }));
    await expectBUnchanged(answer);
    expect(slack.logger.entries.some((e) => e.message === 'Slack modal refused' && e.fields['reason'] === 'another workspace')).toBe(true);
    expect(slack.fake.callsTo('chat.update')).toHaveLength(updates);
  });

  it('a modal whose metadata names B’s channel in A’s workspace is answered with an error card', async () => {
    const ts = '1800000002.000100';
    const view = {
      type: 'modal',
      callback_id: 'done',
      private_metadata: JSON.stringify({ data: { card: 'practice-prompt', ref: refOf(teams.shared.id) }, tenant: A.tenant, team: B.team, channel: B.team, ts }),
    };
    await send(viewSubmission({ user: 'UA2', view, values: { note: { type: 'plain_text_input', value: 'Til B?' } }, workspace: A.tenant }));
    await waitFor(() => slack.fake.callsTo('chat.update').some((c) => c.body['ts'] === ts), { what: 'the error card' });
    const answer = JSON.stringify(slack.fake.callsTo('chat.update').find((c) => c.body['ts'] === ts)!.body);
    expect(cardKind(answer)).toBe('error');
    await expectBUnchanged(answer);
  });

  it('the App Home opened under B’s workspace by A’s member says they are in no programme there, and shows nothing of B', async () => {
    const published = slack.fake.callsTo('views.publish').length;
    const { body } = eventCallback({ type: 'app_home_opened', user: 'UA2', tab: 'home', channel: 'DUA2' }, { workspace: B.tenant });
    await send(body, JSON_BODY);
    await waitFor(() => slack.fake.callsTo('views.publish').length > published, { what: 'the home published' });
    const home = JSON.stringify(slack.fake.callsTo('views.publish').at(-1)!.body);
    expect(home).not.toContain(teams.shared.id);
    await expectBUnchanged(home);
  });
});
