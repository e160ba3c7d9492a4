// Slack for many workspaces: each installs the app by OAuth (/slack/install → Slack → /slack/oauth_redirect),
// its installation is kept in our store, and every call for that workspace, answered or delivered, uses its
// own bot token. The server as `npm start` builds it, on Redis, real Bolt and its InstallProvider, a fake Slack.
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { TeamRef } from '../../src/app/ports.ts';
import { eventCallback, JSON_BODY, slashCommand, useSlackServer, viewSubmission } from '../support/slack-server.ts';
import { TEAMS_TEST_PROGRAMME } from '../support/teams-activities.ts';
import { waitFor } from '../support/wait-for.ts';

const CLIENT_SECRET = 'client-secret-0123456789abcdef';
const STATE_SECRET = 'state-secret-0123456789abcdef';
const T2_TOKEN = 'xoxb-workspace-t2';
const TEAM: TeamRef = { tenant: 'T2', team: 'C2' };

describe('Slack over OAuth: one installation per workspace, kept in the store', () => {
  const slack = useSlackServer({
    name: 'slack-oauth',
    programmes: { 'teams-test.yaml': TEAMS_TEST_PROGRAMME },
    env: { SLACK_BOT_TOKEN: undefined, SLACK_CLIENT_ID: '1234.5678', SLACK_CLIENT_SECRET: CLIENT_SECRET, SLACK_STATE_SECRET: STATE_SECRET },
    seed: async (_store, fake) => {
      fake.setOAuthGrant('code-t2', { team: 'T2', token: T2_TOKEN, botUserId: 'UB2', installer: 'U7' });
      fake.setMembers('C2', ['U7', 'U8', 'UB2']);
    },
  });
  const command = (workspace: string, channel: string, user: string, text: string, responseId: string) =>
    slack.post(slashCommand({ workspace, channel, user, text, responseUrl: slack.fake.responseUrl(responseId), trigger: `trigger-${responseId}` }));
  /** /slack/install, then Slack sending the person back with a code: the installation as a browser makes it. */
  const install = async (code: string, tamper?: (state: string) => string) => {
    const start = await fetch(new URL('slack/install', slack.server.url), { redirect: 'manual' });
    expect(start.status).toBe(302);
    const location = new URL(start.headers.get('location')!);
    const state = location.searchParams.get('state')!;
    const cookie = start.headers.get('set-cookie')!.split(';')[0]!;
    const back = await fetch(new URL(`slack/oauth_redirect?code=${code}&state=${encodeURIComponent(tamper ? tamper(state) : state)}`, slack.server.url), { headers: { cookie }, redirect: 'manual' });
    return { location, status: back.status, page: await back.text() };
  };

  it('runs nothing for a workspace that has not installed the app (no token to act with), and logs it', async () => {
    const answer = await command('T3', 'C3', 'U9', 'setup', 'not-installed');
    // Bolt acks what it cannot authorise, so Slack does not retry it, and calls no listener.
    expect(answer.status).toBe(200);
    expect(slack.logger.entries.some((e) => JSON.stringify(e).includes('slack_bolt_authorization_error'))).toBe(true);
    expect(slack.fake.callsTo('conversations.members')).toHaveLength(0);
    expect(await slack.store.members({ tenant: 'T3', team: 'C3' })).toEqual([]);
  });

  it('refuses an install whose state was tampered with, and stores no installation', async () => {
    const { status } = await install('code-t2', (state) => `${state}x`);
    expect(status).toBeGreaterThanOrEqual(400);
    expect(await slack.store.getSlackInstallation('T2')).toBeUndefined();
  });

  it('installs a workspace: Slack’s consent page asks for the bot scopes, the token is kept in the store', async () => {
    const { location, status } = await install('code-t2');
    expect(location.origin + location.pathname).toBe('https://slack.com/oauth/v2/authorize');
    expect(location.searchParams.get('client_id')).toBe('1234.5678');
    expect(location.searchParams.get('scope')!.split(',')).toEqual(expect.arrayContaining(['chat:write', 'commands', 'im:write', 'channels:read']));
    expect(status).toBe(200);
    const record = await slack.store.getSlackInstallation('T2');
    expect(record).toMatchObject({ key: 'T2', installedBy: 'U7', installation: { team: { id: 'T2' }, bot: { token: T2_TOKEN, userId: 'UB2' } } });
    expect(slack.fake.callsTo('oauth.v2.access')[0]!.body).toMatchObject({ code: 'code-t2', client_id: '1234.5678' });
  });

  it('answers and delivers in that workspace with its own token', async () => {
    expect((await command('T2', 'C2', 'U7', 'setup', 'setup-t2')).status).toBe(200);
    await waitFor(() => slack.fake.callsTo('views.open').length === 1, { what: 'the set-up modal in T2' });
    const opened = slack.fake.callsTo('views.open')[0]!;
    expect(opened.authorization).toBe(`Bearer ${T2_TOKEN}`);
    // The workspace's bot is not one of its people.
    const view = opened.body['view'] as { blocks: Array<{ block_id?: string }>; private_metadata: string; callback_id: string; type: string };
    expect(view.blocks.filter((b) => b.block_id?.startsWith('role:')).map((b) => b.block_id)).toEqual(['role:U7', 'role:U8']);

    const start = DateTime.utc().plus({ days: 7 }).startOf('week').toISODate()!;
    const select = (value: string) => ({ type: 'static_select', selected_option: { value } });
    const values = { programme: select('teams-test'), start: { type: 'datepicker', selected_date: start }, country: select('DK'), locale: select('da'), 'role:U7': select('leader') };
    const body = viewSubmission({ workspace: 'T2', user: 'U7', view, values });
    expect((await slack.post(body)).status).toBe(200);
    await waitFor(() => slack.fake.callsTo('chat.postMessage').some((c) => c.body['channel'] === 'C2'), { what: '“programme started” in C2, delivered' });
    const delivered = slack.fake.callsTo('chat.postMessage').find((c) => c.body['channel'] === 'C2')!;
    expect(delivered.authorization).toBe(`Bearer ${T2_TOKEN}`);
    expect(JSON.stringify(slack.logger.entries)).not.toContain(T2_TOKEN);
    expect(JSON.stringify(slack.logger.entries)).not.toContain(CLIENT_SECRET);
  });

  it('forgets the workspace when the app is uninstalled there: its token is gone and its runs stop', async () => {
    const { body } = eventCallback({ type: 'app_uninstalled' }, { workspace: 'T2' });
    expect((await slack.post(body, { contentType: JSON_BODY })).status).toBe(200);
    await waitFor(async () => (await slack.store.getSlackInstallation('T2')) === undefined, { what: 'the installation deleted' });
    await waitFor(async () => (await slack.store.getRun(TEAM))?.active === false, { what: 'the run in C2 stopped' });
  });
});
