// The production composition as `npm start` runs it with Teams configured and no playground: a real
// process on Redis, whose scheduler and delivery loops post a team's due questionnaire to the fake Bot
// Connector; SIGTERM part-way through the fan-out stops it cleanly, and a restart sends the rest.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { aRun } from '../support/plans.ts';
import type { Run, TeamRef } from '../../src/app/ports.ts';
import { connectDelivery } from '../../src/store/redis/redis-delivery.ts';
import { RedisStore } from '../../src/store/redis/redis-store.ts';
import { PLATFORM_LIMITS } from '../../src/delivery/limits.ts';
import { type FakeBotConnector, startFakeBotConnector } from '../support/fake-bot-connector.ts';
import { countingRandom } from '../support/stores.ts';
import { waitFor } from '../support/wait-for.ts';
import { oneQuestionnaireFile } from '../support/programme-files.ts';
import { botEnv } from '../support/bot-env.ts';

const ROOT = join(import.meta.dirname, '../..');
const TEAM: TeamRef = { tenant: 'tenant-prod', team: '19:team-prod@thread.tacv2' };
// Enough people that the tenant's 50 sends a second spread the fan-out over a few seconds.
const STAFF = Array.from({ length: 150 }, (_, i) => `29:staff-${i + 1}`);

// A questionnaire that opened a week ago and runs for 14 days: due and still useful whatever the day.
const PROGRAMME = oneQuestionnaireFile('prod-test');

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function startBot(env: Record<string, string>): Started {
  let output = '';
  const child = spawn(process.execPath, ['bin/main.js'], { cwd: ROOT, env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

describe('the production server (Teams on, no playground)', () => {
  const namespace = `prod-${process.pid}-${Date.now().toString(36)}`;
  const dir = mkdtempSync(join(tmpdir(), 'sparringsbot-prod-'));
  let fake: FakeBotConnector;
  let store: RedisStore;
  let delivery: ReturnType<typeof connectDelivery>;
  let env: Record<string, string>;

  beforeAll(async () => {
    fake = await startFakeBotConnector({ latencyMs: 20 });
    store = RedisStore.connect(inject('redisUrl'), countingRandom(), namespace);
    delivery = connectDelivery(inject('redisUrl'), PLATFORM_LIMITS, namespace);
    writeFileSync(join(dir, 'prod-test.yaml'), PROGRAMME);
    const run: Run = aRun({
      team: TEAM,
      programmeId: 'prod-test',
      start: DateTime.utc().minus({ days: 7 }).toISODate()!,
      timeZone: 'UTC',
      members: STAFF.map((userId) => ({ userId, roles: ['staff' as const] })),
    });
    await store.saveRun(run);
    for (const userId of STAFF) {
      await store.saveConversation(TEAM, {
        platform: 'teams',
        key: userId,
        reference: {
          serviceUrl: fake.url,
          channelId: 'msteams',
          conversation: { id: `a:${userId}`, tenantId: TEAM.tenant, conversationType: 'personal' },
          bot: { id: '28:bot', name: 'Sparringsbot' },
          user: { id: userId },
        },
      });
    }
    env = botEnv(namespace, dir, { TEAMS_AUTH_DISABLED: 'true' });
  });

  afterAll(async () => {
    await store.close();
    await delivery.close();
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const itemStates = async () => Promise.all(STAFF.map(async (userId) => (await delivery.outbox.get(TEAM, 'skema', userId))?.state));

  it('sends the due card through the real loops, stops on SIGTERM without losing a card, and a restart sends the rest once', async () => {
    const first = startBot(env);
    await waitFor(() => first.output().includes('Sparringsbot is running at') || first.output(), { what: 'the start-up line' });
    expect(first.output()).toMatch(/Sparringsbot is running at http:\/\/127\.0\.0\.1:\d+\/ with teams \(/);
    expect(first.output()).not.toContain('playground');

    await waitFor(() => fake.accepted().length >= 10 || `${fake.accepted().length} accepted; the bot said: ${first.output().slice(-2000)}`, { what: 'the first cards at the fake Bot Connector' });
    first.child.kill('SIGTERM');
    // The process stops by itself within its own limit (exit 1 when it has to give up).
    expect(await first.exited).toBe(0);

    // Nothing sent is left unrecorded, and nothing unsent is lost: it is still pending in the outbox.
    const afterStop = await itemStates();
    const sentBefore = fake.accepted().length;
    expect(afterStop.filter((s) => s === 'sent')).toHaveLength(sentBefore);
    expect(afterStop.every((s) => s === 'sent' || s === 'pending')).toBe(true);
    expect(first.output()).toContain('"msg":"stopping"');
    // Stopped in order and to the end (the loops, the receivers, then Redis closed), within the process's own limit.
    expect(first.output()).toContain('"msg":"stopped"');
    expect(first.output()).not.toContain('stop took too long');

    const second = startBot(env);
    await waitFor(() => fake.accepted().length >= STAFF.length || `${fake.accepted().length} of ${STAFF.length}`, { what: 'every card' });
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(fake.duplicates()).toEqual([]);
    expect(new Set(fake.accepted().map((m) => m.conversationId)).size).toBe(STAFF.length);
    expect((await itemStates()).every((s) => s === 'sent')).toBe(true);
    // The card is the questionnaire, in Danish.
    expect(JSON.stringify(fake.accepted()[0]!.activity)).toContain('Hvor tryg er du?');
  }, 300_000);

  it('refuses to start with PLAYGROUND=false and no platform channel, naming what to set', async () => {
    const bot = startBot({ PORT: '0', PLAYGROUND: 'false', DATA_FILE: join(dir, 'none.json') });
    expect(await bot.exited).toBe(1);
    expect(bot.output().trim().split('\n')).toHaveLength(1);
    expect(bot.output()).toContain('MICROSOFT_APP_ID');
  }, 120_000);

  it('names the port when it is taken', async () => {
    const holder = startBot({ PORT: '0', DATA_FILE: join(dir, 'holder.json'), LOG_FORMAT: 'json' });
    await waitFor(() => holder.output().includes('Sparringsbot is running at') || holder.output(), { what: 'the start-up line' });
    const port = /127\.0\.0\.1:(\d+)\//.exec(holder.output())![1]!;
    const second = startBot({ PORT: port, DATA_FILE: join(dir, 'second.json'), LOG_FORMAT: 'json' });
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain(`port ${port} on 127.0.0.1 is already in use`);
    expect(second.output()).not.toContain('    at ');
    holder.child.kill('SIGTERM');
    expect(await holder.exited).toBe(0);
  }, 180_000);
});
