// The server as `npm start` builds it with Teams on (TEAMS_AUTH_DISABLED, real botbuilder) and the fake Bot
// Connector its replies and proactive posts go to: what the Teams integration, isolation and fuzz tests start from.
import type { Run, Store } from '../../src/app/ports.ts';
import { type FakeBotConnector, type FakeBotConnectorOptions, startFakeBotConnector } from './fake-bot-connector.ts';
import { BOT, personalConversation } from './teams-activities.ts';
import { type TestServer, type TestServerOptions, useTestServer } from './test-server.ts';

/** The answer to a POST to /api/messages: an invoke's card is in `body`; a message's replies go to the fake. */
export interface TeamsAnswer {
  status: number;
  type: string;
  text: string;
  body: unknown;
}

export interface TeamsServer extends TestServer<FakeBotConnector> {
  /** POSTs an activity (or `raw`, a body as it is) to /api/messages. */
  post(activity: unknown, raw?: string): Promise<TeamsAnswer>;
}

/** See useTestServer; `connector` sets the fake Bot Connector's limits and faults. */
export function useTeamsServer(options: Omit<TestServerOptions<FakeBotConnector>, 'startFake' | 'platformEnv'> & { connector?: FakeBotConnectorOptions }): TeamsServer {
  const running = useTestServer({
    ...options,
    startFake: () => startFakeBotConnector(options.connector),
    platformEnv: () => ({ TEAMS_AUTH_DISABLED: 'true' }),
  });
  return Object.assign(running, {
    async post(activity: unknown, raw?: string): Promise<TeamsAnswer> {
      const response = await fetch(new URL('api/messages', running.server.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: raw ?? JSON.stringify(activity) });
      const text = await response.text();
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = undefined;
      }
      return { status: response.status, type: response.headers.get('content-type') ?? '', text, body };
    },
  });
}

/** Stores the run and where its posts go at the fake: each member's personal chat and the team's channel (`channelKey`). */
export async function seedTeamsRun(store: Store, run: Run, serviceUrl: string) {
  const reference = (id: string, conversationType: string) => ({ serviceUrl, channelId: 'msteams', conversation: { id, tenantId: run.team.tenant, conversationType }, bot: BOT });
  await store.saveRun(run);
  if (run.channelKey) await store.saveConversation(run.team, { platform: 'teams', key: run.channelKey, reference: reference(run.team.team, 'channel') });
  for (const { userId } of run.members)
    await store.saveConversation(run.team, { platform: 'teams', key: userId, reference: { ...reference(personalConversation(userId), 'personal'), user: { id: userId } } });
}
