// The bot as `npm start` runs it (`node bin/main.js`, Teams on, Redis), SIGKILLed twice in the middle of a
// fan-out and started again each time: every recipient gets the card, and the only cards sent twice are
// those the platform had accepted when the process died but whose answer it never recorded, at most the
// sends in flight (DELIVERY_CONCURRENCY: 16 by default, and 1, at most one per kill) per kill. The figures are printed. Real processes, real
// botbuilder against the fake Bot Connector, real Redis, the real clock; the kills land on the fake's own
// request callback, never on a timer. The one wait on the clock is the product's recovery: a dead
// process's items come back when their lease runs out (DELIVERY_LEASE_MS, at its shortest here).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Run, TeamRef } from '../../src/app/ports.ts';
import { DEFAULT_DELIVERY } from '../../src/delivery/deliver.ts';
import { PLATFORM_LIMITS } from '../../src/delivery/limits.ts';
import { connectDelivery } from '../../src/store/redis/redis-delivery.ts';
import { RedisStore } from '../../src/store/redis/redis-store.ts';
import { type AcceptedMessage, type FakeBotConnector, startFakeBotConnector } from '../support/fake-bot-connector.ts';
import { aRun } from '../support/plans.ts';
import { botEnv } from '../support/bot-env.ts';
import { deleteNamespace } from '../support/redis-server.ts';
import { countingRandom } from '../support/stores.ts';
import { OUTER_LIMIT_MS, waitFor } from '../support/wait-for.ts';
import { oneQuestionnaireFile } from '../support/programme-files.ts';

const ROOT = join(import.meta.dirname, '../..');
/**
 * The bot's delivery concurrency and the fan-out it is killed in. At the default, several tenants at once, so that
 * many sends are in flight together (each tenant is paced at 50 a second); one at a time, a smaller fan-out, as
 * one send per round trip is slow.
 */
const SCENARIOS = [
  { concurrency: DEFAULT_DELIVERY.concurrency, tenants: 5, staffPerTenant: 60 },
  { concurrency: 1, tenants: 2, staffPerTenant: 15 },
];
/** As a network to Teams: each answer this long after the fake has taken the message. */
const LATENCY_MS = 30;
/** The shortest lease the bot takes: a dead process's cards are sent again this long after the kill. */
const LEASE_MS = 10_000;

const PROGRAMME = oneQuestionnaireFile('kill-test');

const teamOf = (t: number): TeamRef => ({ tenant: `tenant-kill-${t}`, team: `19:team-kill-${t}@thread.tacv2` });
const keyOf = (m: AcceptedMessage) => (m.activity['channelData'] as { sparringsbot?: { key?: string } } | undefined)?.sparringsbot?.key ?? '(no key)';

interface Bot {
  child: ChildProcess;
  output: () => string;
  exited: Promise<string>;
}

function startBot(env: Record<string, string>): Bot {
  let output = '';
  const child = spawn(process.execPath, ['bin/main.js'], { cwd: ROOT, env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? `exit ${code}`)));
  return { child, output: () => output, exited };
}
const running = (bot: Bot) => bot.child.exitCode === null && bot.child.signalCode === null;

describe.each(SCENARIOS)('DELIVERY_CONCURRENCY=$concurrency', ({ concurrency, tenants, staffPerTenant }) => {
  const recipients = tenants * staffPerTenant;
  /** The kills: when the fake has accepted cards for this many distinct recipients. */
  const killAt = [Math.round(recipients / 3), Math.round((2 * recipients) / 3)];
  const staffOf = (t: number) => Array.from({ length: staffPerTenant }, (_, i) => `29:kill-${t}-${i + 1}`);
  const namespace = `bot-kill-${process.pid}-${concurrency}-${Date.now().toString(36)}`;
  const dir = mkdtempSync(join(tmpdir(), 'sparringsbot-kill-'));
  let fake: FakeBotConnector;
  let store: RedisStore;
  let delivery: ReturnType<typeof connectDelivery>;
  let env: Record<string, string>;
  const bots: Bot[] = [];
  /** Called by the fake on each request (through its clock), right after the request is handled. */
  let onRequest = () => {};

  beforeAll(async () => {
    fake = await startFakeBotConnector({
      now: () => {
        queueMicrotask(() => onRequest());
        return Date.now();
      },
      latencyMs: LATENCY_MS,
    });
    store = RedisStore.connect(inject('redisUrl'), countingRandom(), namespace);
    delivery = connectDelivery(inject('redisUrl'), PLATFORM_LIMITS, namespace);
    writeFileSync(join(dir, 'kill-test.yaml'), PROGRAMME);
    for (let t = 0; t < tenants; t++) {
      const team = teamOf(t);
      const run: Run = aRun({
        team,
        programmeId: 'kill-test',
        start: DateTime.utc().minus({ days: 7 }).toISODate()!,
        timeZone: 'UTC',
        members: staffOf(t).map((userId) => ({ userId, roles: ['staff' as const] })),
      });
      await store.saveRun(run);
      for (const userId of staffOf(t)) {
        await store.saveConversation(team, {
          platform: 'teams',
          key: userId,
          reference: {
            serviceUrl: fake.url,
            channelId: 'msteams',
            conversation: { id: `a:${userId}`, tenantId: team.tenant, conversationType: 'personal' },
            bot: { id: '28:bot' },
            user: { id: userId },
          },
        });
      }
    }
    env = botEnv(namespace, dir, { TEAMS_AUTH_DISABLED: 'true', DELIVERY_LEASE_MS: String(LEASE_MS), DELIVERY_CONCURRENCY: String(concurrency) });
  });

  afterAll(async () => {
    for (const bot of bots) if (running(bot)) bot.child.kill('SIGKILL');
    await Promise.all(bots.map((bot) => bot.exited));
    await store.close();
    await delivery.close();
    await fake.close();
    await deleteNamespace(inject('redisUrl'), namespace);
    rmSync(dir, { recursive: true, force: true });
  }, OUTER_LIMIT_MS);

  const allRecipients = () => Array.from({ length: tenants }, (_, t) => staffOf(t).map((userId) => ({ team: teamOf(t), userId }))).flat();
  const distinctAccepted = () => new Set(fake.accepted().map(keyOf)).size;

  it(
    `sends every one of ${recipients} cards through two SIGKILLs of the bot mid-fan-out, twice at most ${concurrency === 1 ? 'the one send' : `the ${concurrency} sends`} in flight per kill`,
    async ({ annotate }) => {
      const perKill: Array<{ acceptedAtKill: number; acceptedNotRecorded: number }> = [];
      /** Accepted and not recorded at an earlier kill: still leased to the dead process, not sent again yet. */
      const unrecorded = new Set<string>();
      for (const threshold of killAt) {
        const bot = startBot(env);
        bots.push(bot);
        let killed = false;
        onRequest = () => {
          if (killed || distinctAccepted() < threshold || !running(bot)) return;
          killed = true;
          bot.child.kill('SIGKILL');
        };
        await waitFor(
          () => {
            if (killed) return true;
            if (!running(bot)) throw new Error(`the bot stopped before its kill: ${bot.output().slice(-2000)}`);
            return `${distinctAccepted()} recipients' cards accepted; the bot said: ${bot.output().slice(-1000)}`;
          },
          { what: `the fake to accept ${threshold} recipients' cards and the kill` },
        );
        expect(await bot.exited).toBe('SIGKILL');
        onRequest = () => {};
        // Accepted by the platform (a request the dead process wrote before it died may still arrive: let the fake
        // answer what it has), and not recorded as sent: each of these goes out again after the restart.
        const accepted = new Set(fake.accepted().map(keyOf));
        const states = await Promise.all(
          allRecipients().map(async ({ team, userId }) => ({ key: `${team.tenant}/${team.team}/skema/${userId}`, state: (await delivery.outbox.get(team, 'skema', userId))?.state })),
        );
        const fresh = states.filter((s) => accepted.has(s.key) && s.state !== 'sent' && !unrecorded.has(s.key)).map((s) => s.key);
        for (const key of fresh) unrecorded.add(key);
        perKill.push({ acceptedAtKill: accepted.size, acceptedNotRecorded: fresh.length });
      }

      const last = startBot(env);
      bots.push(last);
      await waitFor(
        async () => {
          if (!running(last)) throw new Error(`the last bot stopped before the end: ${last.output().slice(-2000)}`);
          const states = await Promise.all(allRecipients().map(async ({ team, userId }) => (await delivery.outbox.get(team, 'skema', userId))?.state));
          const sent = states.filter((s) => s === 'sent').length;
          return sent === recipients || `${sent} of ${recipients} recorded as sent; ${distinctAccepted()} accepted (waiting for the dead processes' leases to run out)`;
        },
        { what: 'every card recorded as sent', outerLimitMs: 2 * LEASE_MS + OUTER_LIMIT_MS },
      );
      last.child.kill('SIGTERM');
      expect(await last.exited).toBe('exit 0');

      const duplicates = fake.duplicates();
      // Every card a kill may have sent twice is said so by the process that took it over.
      const resumed = bots.map(
        (bot) =>
          bot
            .output()
            .split('\n')
            .filter((line) => line.includes('delivery resumed after its worker stopped mid-send')).length,
      );
      const figures = {
        recipients,
        tenants,
        latencyMs: LATENCY_MS,
        concurrency,
        kills: perKill,
        duplicates: duplicates.length,
        resumedLogged: resumed,
      };
      console.info(`bot-kill: ${JSON.stringify(figures)}`);
      await annotate(JSON.stringify(figures));

      // Everyone got the card.
      const keys = new Set(fake.accepted().map(keyOf));
      expect(keys.size).toBe(recipients);
      // Sent twice: only what the platform had accepted and the dead process had not recorded, and never more
      // than the sends a process has in flight at once, per kill; nobody got it three times.
      expect([...unrecorded]).toEqual(expect.arrayContaining(duplicates));
      for (const kill of perKill) expect(kill.acceptedNotRecorded).toBeLessThanOrEqual(concurrency);
      // (By whichever process was running when the dead one's leases ran out: the next, or the one after it.)
      expect(resumed[0]).toBe(0);
      expect(resumed.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(Math.max(duplicates.length, unrecorded.size));
      const times = new Map<string, number>();
      for (const m of fake.accepted()) times.set(keyOf(m), (times.get(keyOf(m)) ?? 0) + 1);
      expect(Math.max(...times.values())).toBeLessThanOrEqual(2);
      for (let t = 0; t < tenants; t++) expect(await delivery.outbox.deadLetters(teamOf(t))).toEqual([]);
    },
    2 * LEASE_MS + 4 * OUTER_LIMIT_MS,
  );
});
