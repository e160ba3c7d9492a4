// The server as `npm start` builds it with Slack on (in-process, on Redis, real Bolt), a fake Slack Web API
// it calls, and Slack's requests as Slack signs them: what every Slack integration test starts from.
import { createHmac } from 'node:crypto';
import { DateTime } from 'luxon';
import type { Run, Store, TeamRef } from '../../src/app/ports.ts';
import { type FakeSlackApi, startFakeSlackApi } from './fake-slack-api.ts';
import { aRun } from './plans.ts';
import { type TestServer, type TestServerOptions, useTestServer } from './test-server.ts';

export const FORM = 'application/x-www-form-urlencoded';
export const JSON_BODY = 'application/json';

/** Slack's signature: v0=HMAC-SHA256(secret, "v0:{timestamp}:{body}"). */
export function slackSigned(secret: string, body: string, options: { contentType?: string; timestamp?: number } = {}): Record<string, string> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return { 'content-type': options.contentType ?? FORM, 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature };
}

/** A `/sparring` slash command as Slack posts it. */
export function slashCommand(c: { user: string; text: string; responseUrl: string; workspace?: string; channel?: string; trigger?: string }): string {
  return new URLSearchParams({
    token: 'legacy',
    team_id: c.workspace ?? 'T1',
    channel_id: c.channel ?? 'C1',
    user_id: c.user,
    command: '/sparring',
    text: c.text,
    response_url: c.responseUrl,
    trigger_id: c.trigger ?? 'trigger-1',
    api_app_id: 'A1',
  }).toString();
}

/** An interactive payload (a button's block_actions, a modal's view_submission) as Slack posts it: form-encoded JSON. */
export function interaction(payload: Record<string, unknown>): string {
  return new URLSearchParams({ payload: JSON.stringify({ api_app_id: 'A1', token: 'legacy', ...payload }) }).toString();
}

/** Where a button was clicked: a message in a channel (`ephemeral` when only the clicker sees it), or the App Home's view. */
export type ClickedIn = { channel: string; ts: string; ephemeral?: boolean } | { home: { blocks: unknown[] } };

/** A button's block_actions payload as Slack posts it, from a message or the App Home. */
export function buttonClick(c: {
  user: string;
  actionId: string | undefined;
  value: string | undefined;
  in: ClickedIn;
  workspace?: string;
  trigger?: string;
  responseUrl?: string;
  actionTs?: string;
}): string {
  const workspace = c.workspace ?? 'T1';
  const where =
    'home' in c.in
      ? { container: { type: 'view', view_id: 'VHOME' }, view: { id: 'VHOME', type: 'home', team_id: workspace, app_id: 'A1', blocks: c.in.home.blocks } }
      : { channel: { id: c.in.channel }, container: { type: 'message', message_ts: c.in.ts, channel_id: c.in.channel, is_ephemeral: c.in.ephemeral ?? false } };
  return interaction({
    type: 'block_actions',
    team: { id: workspace, domain: 'skole' },
    user: { id: c.user, team_id: workspace },
    trigger_id: c.trigger ?? 'trigger-2',
    ...where,
    ...(c.responseUrl ? { response_url: c.responseUrl } : {}),
    actions: [{ type: 'button', action_id: c.actionId, block_id: 'b1', value: c.value, action_ts: c.actionTs ?? '1' }],
  });
}

/** A modal's submission with its inputs' values (input id → element state) in the workspace. */
export function viewSubmission(s: { user: string; view: Record<string, unknown>; values: Record<string, Record<string, unknown>>; workspace?: string }): string {
  const workspace = s.workspace ?? 'T1';
  const state = Object.fromEntries(Object.entries(s.values).map(([id, element]) => [id, { [id]: element }]));
  return interaction({
    type: 'view_submission',
    team: { id: workspace, domain: 'skole' },
    user: { id: s.user, team_id: workspace },
    trigger_id: 'trigger-submit',
    view: { ...s.view, id: 'V1', team_id: workspace, app_id: 'A1', state: { values: state } },
  });
}

let events = 0;

/** An Events API callback; `id` repeats an earlier event (a retry). */
export function eventCallback(event: Record<string, unknown>, options: { workspace?: string; id?: string } = {}): { id: string; body: string } {
  const id = options.id ?? `Ev${process.pid}-${++events}`;
  const body = JSON.stringify({
    token: 'legacy',
    type: 'event_callback',
    team_id: options.workspace ?? 'T1',
    api_app_id: 'A1',
    event: { event_ts: '1700000000.000100', ...event },
    event_id: id,
    event_time: Math.floor(Date.now() / 1000),
  });
  return { id, body };
}

/** The workspace and channel the Slack tests' team lives in. */
export const SLACK_TEAM: TeamRef = { tenant: 'T1', team: 'C1' };

/** The Slack tests' team running `programmeId` since `daysAgo` days: U1 leads, U2 and U3 take part (named when `names`). */
export function slackTeamRun(programmeId: string, daysAgo: number, names?: [string, string, string]): Run {
  const member = (userId: string, role: 'leader' | 'staff', i: number) => ({ userId, ...(names ? { name: names[i]! } : {}), roles: [role] });
  return aRun({
    team: SLACK_TEAM,
    programmeId,
    start: DateTime.utc().minus({ days: daysAgo }).toISODate()!,
    timeZone: 'UTC',
    members: [member('U1', 'leader', 0), member('U2', 'staff', 1), member('U3', 'staff', 2)],
    channelKey: 'channel:C1',
  });
}

/** Stores the run and how to reach each member in a direct message, and (`channel`) the team's channel C1. */
export async function seedSlackRun(store: Store, run: Run, options: { channel: boolean } = { channel: true }) {
  await store.saveRun(run);
  if (options.channel) await store.saveConversation(run.team, { platform: 'slack', key: 'channel:C1', reference: { channel: 'C1' } });
  for (const { userId } of run.members) await store.saveConversation(run.team, { platform: 'slack', key: userId, reference: { user: userId } });
}

export type SlackServerOptions = Omit<TestServerOptions<FakeSlackApi>, 'startFake' | 'platformEnv'>;

export interface SlackServer extends TestServer<FakeSlackApi> {
  readonly secret: string;
  readonly token: string;
  /** POSTs to /slack/events; signed with the app's secret unless `headers` are given whole. */
  post(body: string, options?: { contentType?: string; headers?: Record<string, string> }): Promise<{ status: number; text: string }>;
  signed(body: string, options?: { contentType?: string; timestamp?: number; secret?: string }): Record<string, string>;
}

/** The server with Slack on (a bot token, Bolt's signing secret) at a fake Slack Web API: see useTestServer. */
export function useSlackServer(options: SlackServerOptions): SlackServer {
  const secret = `${options.name}-signing-secret-0123456789`;
  const token = `xoxb-${options.name}`;
  const signed = (body: string, o: { contentType?: string; timestamp?: number; secret?: string } = {}) => slackSigned(o.secret ?? secret, body, o);
  const running = useTestServer({
    ...options,
    startFake: () => startFakeSlackApi(),
    platformEnv: (fake) => ({ SLACK_SIGNING_SECRET: secret, SLACK_BOT_TOKEN: token, SLACK_API_URL: `${fake.url}/api/` }),
  });
  return Object.assign(running, {
    secret,
    token,
    signed,
    async post(body: string, o: { contentType?: string; headers?: Record<string, string> } = {}) {
      const headers = o.headers ?? signed(body, o.contentType ? { contentType: o.contentType } : {});
      const response = await fetch(new URL('slack/events', running.server.url), { method: 'POST', headers, body });
      return { status: response.status, text: await response.text() };
    },
  });
}
