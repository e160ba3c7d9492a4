// Setting a Slack channel up and keeping its people, end to end: signed events and `/sparring setup` into
// the server as `npm start` builds it (on Redis), real Bolt, Web API calls at a fake Slack.
import { DateTime } from 'luxon';
import { describe, expect, inject, it } from 'vitest';
import type { TeamRef } from '../../src/app/ports.ts';
import { PLATFORM_LIMITS } from '../../src/delivery/limits.ts';
import { connectDelivery } from '../../src/store/redis/redis-delivery.ts';
import { eventCallback, JSON_BODY, slashCommand, useSlackServer, viewSubmission } from '../support/slack-server.ts';
import { TEAMS_TEST_PROGRAMME } from '../support/teams-activities.ts';
import { waitFor } from '../support/wait-for.ts';

const TEAM: TeamRef = { tenant: 'T1', team: 'C9' };

type View = { type: string; callback_id: string; private_metadata: string; blocks: Array<{ type: string; block_id?: string; label?: { text: string }; element?: { type: string } }> };

describe('Slack: a channel set up with /sparring setup, its people joining and leaving', () => {
  const slack = useSlackServer({
    name: 'slack-setup',
    programmes: { 'teams-test.yaml': TEAMS_TEST_PROGRAMME },
    seed: async (_store, fake) => {
      fake.setMembers('C9', ['U1', 'U2', 'UBOT', 'UAPP']);
      fake.setUser('U1', { name: 'Lene Bach' });
      fake.setUser('U2', { name: 'Søren Holt' });
      fake.setUser('UAPP', { name: 'Kalender', bot: true });
    },
  });
  const command = (user: string, text: string, responseId: string) =>
    slack.post(slashCommand({ user, text, channel: 'C9', responseUrl: slack.fake.responseUrl(responseId), trigger: `trigger-${responseId}` }));
  const event = (inner: Record<string, unknown>) => {
    const { body } = eventCallback(inner);
    return { send: (headers: Record<string, string> = {}) => slack.post(body, { headers: { ...slack.signed(body, { contentType: JSON_BODY }), ...headers } }) };
  };
  const submit = (user: string, view: View, values: Record<string, Record<string, unknown>>) => slack.post(viewSubmission({ user, view, values }));
  const select = (value: string) => ({ type: 'static_select', selected_option: { value } });
  const start = DateTime.utc().plus({ days: 7 }).startOf('week').toISODate()!;
  const form = (roles: Record<string, string>, overrides: Record<string, Record<string, unknown>> = {}) => ({
    programme: select('teams-test'),
    start: { type: 'datepicker', selected_date: start },
    country: select('DK'),
    timeZone: { type: 'plain_text_input', value: '' },
    locale: select('da'),
    ...Object.fromEntries(Object.entries(roles).map(([user, role]) => [`role:${user}`, select(role)])),
    ...overrides,
  });
  const channelPosts = () => slack.fake.callsTo('chat.postMessage').filter((c) => c.body['channel'] === 'C9');

  it('says how to begin when the bot is added to a channel, and stores nobody', async () => {
    expect((await event({ type: 'member_joined_channel', user: 'UBOT', channel: 'C9', channel_type: 'C', team: 'T1' }).send()).status).toBe(200);
    await waitFor(() => channelPosts().length === 1, { what: 'the welcome in C9' });
    expect(JSON.stringify(channelPosts()[0]!.body)).toContain('/sparring setup');
    expect(await slack.store.members(TEAM)).toEqual([]);
  });

  let view: View;
  it('opens the set-up form for whoever asks first, listing the channel’s people (every page) and no bots', async () => {
    expect((await command('U1', 'setup', 'setup-1')).status).toBe(200);
    await waitFor(() => slack.fake.callsTo('views.open').length === 1, { what: 'the set-up modal' });
    const opened = slack.fake.callsTo('views.open')[0]!.body;
    expect(opened['trigger_id']).toBe('trigger-setup-1');
    view = opened['view'] as View;
    expect(view).toMatchObject({ type: 'modal', callback_id: 'start' });
    const roleInputs = view.blocks.filter((b) => b.block_id?.startsWith('role:'));
    expect(roleInputs.map((b) => [b.block_id, b.label?.text])).toEqual([
      ['role:U1', 'Lene Bach'],
      ['role:U2', 'Søren Holt'],
    ]);
    expect(view.blocks.map((b) => b.block_id)).toEqual(expect.arrayContaining(['programme', 'start', 'country', 'timeZone', 'locale']));
    // Slack has no installer or team owners: the form says who leads.
    expect(JSON.stringify(view.blocks)).toContain('Den, der sætter forløbet op, leder det');
    expect(await slack.store.getRun(TEAM)).toBeUndefined();
    expect((await slack.store.members(TEAM)).map((m) => [m.userId, m.roles])).toEqual(
      expect.arrayContaining([
        ['U1', ['leader']],
        ['U2', ['staff']],
      ]),
    );
  });

  it('shows the form again, naming the problem, when the first day is not a date; nothing is started', async () => {
    const answer = await submit('U1', view, form({ U1: 'leader', U2: 'staff' }, { start: { type: 'datepicker', selected_date: null } }));
    expect(answer.status).toBe(200);
    const ack = JSON.parse(answer.text) as { response_action: string; view: View };
    expect(ack.response_action).toBe('update');
    expect(JSON.stringify(ack.view.blocks)).toContain('Vælg forløbets første dag');
    expect(await slack.store.getRun(TEAM)).toBeUndefined();
  });

  it('starts the run on submit: roles as chosen, “programme started” in the channel', async () => {
    const answer = await submit('U1', view, form({ U1: 'leader', U2: 'staff' }));
    expect(answer.status).toBe(200);
    expect(answer.text).toBe('');
    const run = await slack.store.getRun(TEAM);
    expect(run).toMatchObject({ programmeId: 'teams-test', start, country: 'DK', timeZone: 'Europe/Copenhagen', locale: 'da', active: true, channelKey: 'channel:C9' });
    expect(run!.members.map((m) => [m.userId, m.roles, m.name])).toEqual([
      ['U1', ['leader'], 'Lene Bach'],
      ['U2', ['staff'], 'Søren Holt'],
    ]);
    await waitFor(() => channelPosts().length === 2, { what: '“programme started” in C9' });
    expect(JSON.stringify(channelPosts()[1]!.body)).toContain('Teams-prøve');
  });

  it('refuses the form to someone who does not lead the team, in their language, changing nothing', async () => {
    const opened = slack.fake.callsTo('views.open').length;
    expect((await command('U2', 'setup', 'setup-2')).status).toBe(200);
    await waitFor(() => slack.fake.callsTo('response_url').some((c) => JSON.stringify(c.body).includes('Kun teamets leder')), { what: 'the refusal' });
    expect(slack.fake.callsTo('views.open')).toHaveLength(opened);
    expect((await slack.store.getRun(TEAM))!.members.find((m) => m.userId === 'U2')!.roles).toEqual(['staff']);
  });

  it('adds someone who joins the channel as staff and welcomes them once, also when Slack retries the event', async () => {
    slack.fake.setUser('U3', { name: 'Aisha Rahimi' });
    const joined = event({ type: 'member_joined_channel', user: 'U3', channel: 'C9', channel_type: 'C', team: 'T1' });
    expect((await joined.send()).status).toBe(200);
    expect((await joined.send({ 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' })).status).toBe(200);
    await waitFor(async () => (await slack.store.getRun(TEAM))!.members.some((m) => m.userId === 'U3'), { what: 'U3 in the run' });
    expect((await slack.store.getRun(TEAM))!.members.find((m) => m.userId === 'U3')).toEqual({ userId: 'U3', roles: ['staff'], name: 'Aisha Rahimi' });
    await waitFor(() => slack.fake.callsTo('chat.postMessage').some((c) => c.body['channel'] === 'D3'), { what: 'the welcome in U3’s DM' });
    expect(slack.fake.callsTo('conversations.open').map((c) => c.body['users'])).toContain('U3');
    // Both deliveries of the event were handled (U3 known by the second): one welcome is queued, one is sent.
    const delivery = connectDelivery(inject('redisUrl'), PLATFORM_LIMITS, slack.namespace);
    try {
      expect((await delivery.outbox.itemsFor(TEAM, ['U3'])).map((i) => i.occurrenceId)).toEqual(['welcome']);
    } finally {
      await delivery.close();
    }
    expect(slack.fake.callsTo('chat.postMessage').filter((c) => c.body['channel'] === 'D3')).toHaveLength(1);
  });

  it('takes someone who leaves the channel out of the run', async () => {
    expect((await event({ type: 'member_left_channel', user: 'U2', channel: 'C9', channel_type: 'C', team: 'T1' }).send()).status).toBe(200);
    await waitFor(async () => !(await slack.store.getRun(TEAM))!.members.some((m) => m.userId === 'U2'), { what: 'U2 out of the run' });
  });

  it('ignores people joining a channel that runs nothing', async () => {
    expect((await event({ type: 'member_joined_channel', user: 'U5', channel: 'C-other', channel_type: 'C', team: 'T1' }).send()).status).toBe(200);
    expect((await event({ type: 'member_joined_channel', user: 'U6', channel: 'C9', channel_type: 'C', team: 'T1' }).send()).status).toBe(200);
    await waitFor(async () => (await slack.store.getRun(TEAM))!.members.some((m) => m.userId === 'U6'), { what: 'U6 in the run (events handled in order)' });
    expect(await slack.store.members({ tenant: 'T1', team: 'C-other' })).toEqual([]);
  });

  it('stops the run when the bot is removed from the channel', async () => {
    expect((await event({ type: 'channel_left', channel: 'C9', actor_id: 'U1' }).send()).status).toBe(200);
    await waitFor(async () => (await slack.store.getRun(TEAM))?.active === false, { what: 'the run stopped' });
  });
});
