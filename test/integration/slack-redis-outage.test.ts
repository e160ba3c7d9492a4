// Slack while Redis is away: a button click on a prompt is answered by replacing the message with the
// "try again" card, never a false "thank you", and the same click once Redis is back stores the answer.
// The server as `npm start` builds it (in-process, real Bolt, signed requests, a fake Slack Web API) on a
// private redis-server that the test stops and starts again on its append-only file.
import { afterEach, expect, it } from 'vitest';
import { planOf } from '../../src/app/run-plan.ts';
import { type RunningServer, startServer } from '../../src/compose/server.ts';
import { loadConfig } from '../../src/config.ts';
import { parseProgramme } from '../../src/programmes/load.ts';
import { RedisStore } from '../../src/store/redis/redis-store.ts';
import { type FakeSlackApi, startFakeSlackApi } from '../support/fake-slack-api.ts';
import { memoryLogger } from '../support/fakes.ts';
import { removeServerFolder, type RedisServer, startRedisServer } from '../support/redis-server.ts';
import { buttonClick, SLACK_TEAM, seedSlackRun, slackSigned, slackTeamRun } from '../support/slack-server.ts';
import { countingRandom } from '../support/stores.ts';
import { TEAMS_TEST_PROGRAMME } from '../support/teams-activities.ts';
import { waitFor } from '../support/wait-for.ts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SECRET = 'slack-outage-signing-secret-0123456789';
const RUN = slackTeamRun('teams-test', 21);
const occurrence = planOf(RUN, parseProgramme(TEAMS_TEST_PROGRAMME, 'teams-test.yaml')).occurrences.filter((o) => o.activityId === 'oevebane' && Date.parse(o.start) <= Date.now())[0]!;
const TRY_AGAIN_DA = 'Det er ikke sikkert, at det blev gemt';
const DONE_DA = 'Godt gået';

let redis: RedisServer | undefined;
let store: RedisStore | undefined;
let server: RunningServer | undefined;
let fake: FakeSlackApi | undefined;
let dir: string | undefined;
afterEach(async () => {
  await server?.stop();
  await store?.close();
  await redis?.stop();
  if (redis) removeServerFolder(redis);
  await fake?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it('answers a click while Redis is away with the "try again" card, and stores it once Redis is back', async () => {
  redis = await startRedisServer({ aof: true });
  fake = await startFakeSlackApi();
  dir = mkdtempSync(join(tmpdir(), 'sparring-slack-outage-'));
  writeFileSync(join(dir, 'teams-test.yaml'), TEAMS_TEST_PROGRAMME);
  const namespace = `slack-outage-${process.pid}`;
  store = RedisStore.connect(redis.url, countingRandom(), namespace);
  await seedSlackRun(store, RUN);
  server = await startServer(
    loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      REDIS_URL: redis.url,
      REDIS_NAMESPACE: namespace,
      REDIS_COMMAND_TIMEOUT_MS: '300',
      PROGRAMMES_DIR: dir,
      ANONYMITY_SECRET: 'slack-outage-test-secret-0123456789abcdef',
      LOG_FORMAT: 'json',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_BOT_TOKEN: 'xoxb-slack-outage',
      SLACK_API_URL: `${fake.url}/api/`,
    }),
    memoryLogger(),
  );
  const click = async (ts: string) => {
    const body = buttonClick({
      user: 'U2',
      in: { channel: 'D2', ts },
      responseUrl: fake!.responseUrl(`click-${ts}`),
      actionId: 'done',
      value: JSON.stringify({ verb: 'done', card: 'practice-prompt', ref: { programmeId: 'teams-test', activityId: 'oevebane', occurrenceId: occurrence.id } }),
    });
    const response = await fetch(new URL('slack/events', server!.url), { method: 'POST', headers: slackSigned(SECRET, body), body });
    expect(response.status).toBe(200);
    await waitFor(() => fake!.callsTo('chat.update').some((c) => c.body['ts'] === ts), { what: `the message ${ts} replaced` });
    return JSON.stringify(fake!.callsTo('chat.update').find((c) => c.body['ts'] === ts)!.body['blocks']);
  };

  const { port, dir: redisDir } = redis;
  await redis.stop();
  const whileAway = await click('1700000001.000100');
  expect(whileAway).toContain(TRY_AGAIN_DA);
  expect(whileAway).not.toContain(DONE_DA);

  redis = await startRedisServer({ aof: true, port, dir: redisDir });
  await waitFor(() => store!.reachable(), { what: 'the test’s store to reconnect' });
  await waitFor(async () => (await fetch(new URL('readyz', server!.url))).status === 200, { what: '/readyz once Redis is back' });
  const onceBack = await click('1700000001.000200');
  expect(onceBack).toContain(DONE_DA);
  expect((await store.namedReplies(SLACK_TEAM, occurrence.id)).map((r) => r.respondent.userId)).toEqual(['U2']);
});
