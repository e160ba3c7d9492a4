// A deployment split in two: web processes that only ack (PROCESS_ROLE=web) and workers that do the work
// (PROCESS_ROLE=worker), meeting in Redis. A command acked while no worker runs waits for one and is answered.
import { Redis } from 'ioredis';
import { DateTime } from 'luxon';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { TeamRef } from '../../src/app/ports.ts';
import { type RunningServer, startServer } from '../../src/compose/server.ts';
import { loadConfig } from '../../src/config.ts';
import { commandsKey, SHARD_NUMBERS } from '../../src/store/keys.ts';
import { memoryLogger } from '../support/fakes.ts';
import { aRun } from '../support/plans.ts';
import { slashCommand, useSlackServer } from '../support/slack-server.ts';
import { TEAMS_TEST_PROGRAMME } from '../support/teams-activities.ts';
import { waitFor } from '../support/wait-for.ts';

const TEAM: TeamRef = { tenant: 'T1', team: 'C1' };

describe('Slack with web and worker processes apart', () => {
  const slack = useSlackServer({
    name: 'slack-roles',
    programmes: { 'teams-test.yaml': TEAMS_TEST_PROGRAMME },
    env: { PROCESS_ROLE: 'web' },
    seed: async (store) => {
      const start = DateTime.utc().minus({ days: 21 }).toISODate()!;
      const members = [
        { userId: 'U1', roles: ['leader' as const] },
        { userId: 'U2', roles: ['staff' as const] },
      ];
      await store.saveRun(aRun({ team: TEAM, programmeId: 'teams-test', start, timeZone: 'UTC', members, channelKey: 'channel:C1' }));
    },
  });
  const redis = new Redis(inject('redisUrl'));
  let worker: RunningServer | undefined;
  afterAll(async () => {
    await worker?.stop();
    await redis.quit();
  });

  it('acks in the web process, keeps the command in Redis while no worker runs, and a worker started later answers it', async () => {
    const acked = await slack.post(slashCommand({ user: 'U2', text: 'status', responseUrl: slack.fake.responseUrl('status-1') }));
    expect(acked.status).toBe(200);
    const queued = async () => (await Promise.all(SHARD_NUMBERS.map((shard) => redis.xlen(commandsKey(shard, slack.namespace))))).reduce((sum, n) => sum + n, 0);
    await waitFor(async () => (await queued()) === 1, { what: 'the command to be queued' });
    // The web process posts nothing of its own: no scheduler, no delivery, no answers (only Bolt's auth.test for the bot's ids).
    expect(slack.fake.calls.map((c) => c.method)).toEqual(['auth.test']);

    const workerLogger = memoryLogger();
    worker = await startServer(loadConfig({ ...slack.env, PROCESS_ROLE: 'worker' }), workerLogger);
    await waitFor(() => slack.fake.callsTo('response_url').length === 1 || slack.fake.calls.map((c) => c.method), { what: 'the worker to answer' });
    const [answer] = slack.fake.callsTo('response_url');
    expect(answer?.body['response_type']).toBe('ephemeral');
    expect(JSON.stringify(answer?.body)).toContain('Teams-prøve');
    await waitFor(async () => (await queued()) === 0, { what: 'the answered command to be deleted' });
  });

  it('has the worker take no Slack requests: they go to the web processes', async () => {
    expect(worker).toBeDefined();
    const response = await fetch(new URL('slack/events', worker!.url), { method: 'POST', headers: slack.signed('x=1'), body: 'x=1' });
    expect(response.status).toBe(404);
    expect((await fetch(new URL('healthz', worker!.url))).status).toBe(200);
  });
});
