// The cost of the parts on their own, best of three rounds (other processes on the machine only ever make a
// round slower): a render, a send through botbuilder against a bare fetch, and delivery without a platform.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Channel, Logger } from '../../src/app/ports.ts';
import { renderCard } from '../../src/cards/render.ts';
import { sampleData } from '../../src/cards/samples.ts';
import { isCardName } from '../../src/cards/view-models.ts';
import { TeamsChannel } from '../../src/channels/teams/teams-channel.ts';
import { deliverDue, type DeliveryDeps } from '../../src/delivery/deliver.ts';
import { TEAMS_LIMITS } from '../../src/delivery/limits.ts';
import { RedisOutbox } from '../../src/store/redis/redis-delivery.ts';
import { RedisRateLimiter } from '../../src/store/redis/redis-rate-limiter.ts';
import { RedisStore } from '../../src/store/redis/redis-store.ts';
import { connectBench } from '../../test/support/bench-redis.ts';
import { startFakeBotConnector } from '../../test/support/fake-bot-connector.ts';
import { CARD, OCCURRENCE, OPTIONS, REDIS_OPTIONS_USED } from './config.ts';
import { pool, type Recipient, recipients, reference, saveConversations } from './fan-out.ts';
import { sum } from './figures.ts';
import { type Admin, commandDelta } from './redis-admin.ts';

export function renderCost(samples: number) {
  const costs: Record<string, number> = {};
  for (const name of [CARD, 'practice-prompt', 'summary']) {
    if (!isCardName(name) || name in costs) continue;
    const data = sampleData(name, 'da');
    const options = { locale: 'da' as const, timeZone: 'Europe/Copenhagen' };
    for (let i = 0; i < 20; i++) renderCard(name, data, 'teams', options);
    // Best of three rounds: other processes on the machine only ever make it slower.
    const rounds = Array.from({ length: 3 }, () => {
      const t0 = process.cpuUsage();
      for (let i = 0; i < samples; i++) renderCard(name, data, 'teams', options);
      const t = process.cpuUsage(t0);
      return (t.user + t.system) / 1000 / samples;
    });
    costs[name] = Math.min(...rounds);
  }
  return costs;
}

/**
 * Delivery's own cost per send, without a platform: the same outbox, limiter (at Teams' conversation limits,
 * the tenant's lifted so nothing waits), store and render cache, sending to a channel that answers at once.
 * One deliverDue pass after another until the queue is empty; CPU of this process and Redis commands per send,
 * best of three rounds. What is left of "CPU per accepted send" above is botbuilder, HTTP and the fake.
 */
export async function deliveryCost(url: string, admin: Admin, count: number) {
  const unlimited = { teams: { ...TEAMS_LIMITS, tenant: [{ limit: 1e9, windowMs: 1_000 }] } };
  const instant: Channel = { platform: 'teams', send: async () => ({ messageId: 'm' }), update: async () => {} };
  const silent: Logger = { info() {}, warn() {}, error() {} };
  const card = isCardName(CARD) ? { name: CARD, data: sampleData(CARD, 'da'), locale: 'da' as const, timeZone: 'Europe/Copenhagen' } : undefined;
  if (!card) throw new Error(`unknown card ${CARD}`);
  const rounds: Array<{ cpuMs: number; commands: number }> = [];
  for (let round = 0; round < 3; round++) {
    const namespace = `bf${randomUUID().slice(0, 8)}`;
    const list = recipients().slice(0, count);
    await saveConversations(url, namespace, list, 'http://127.0.0.1:9/');
    const redis = connectBench(url, REDIS_OPTIONS_USED);
    const store = new RedisStore(connectBench(url, REDIS_OPTIONS_USED), { id: randomUUID, next: Math.random }, namespace);
    const outbox = new RedisOutbox(redis, namespace);
    await outbox.enqueue(
      list.map((r) => ({ team: r.team, occurrenceId: `${OCCURRENCE}-${round}`, recipient: r.key, card })),
      Date.now(),
    );
    const deps: DeliveryDeps = {
      outbox,
      limiter: new RedisRateLimiter(redis, unlimited, namespace),
      store,
      channels: { teams: instant },
      clock: { now: () => new Date() },
      random: { id: randomUUID, next: Math.random },
      logger: silent,
    };
    const commands0 = await admin.commandStats();
    const cpu0 = process.cpuUsage();
    let sent = 0;
    while ((await outbox.pending()) > 0) sent += (await deliverDue(deps, OPTIONS)).sent;
    const cpu = process.cpuUsage(cpu0);
    const commands = sum([...commandDelta(commands0, await admin.commandStats()).values()]);
    if (sent !== list.length) throw new Error(`delivery probe sent ${sent} of ${list.length}`);
    rounds.push({ cpuMs: (cpu.user + cpu.system) / 1000 / sent, commands: commands / sent });
    await store.close();
    await redis.quit();
    await admin.drop(namespace);
  }
  return rounds.sort((a, b) => a.cpuMs - b.cpuMs)[0]!;
}

/** The same sends through TeamsChannel and as a bare fetch of the same JSON, to a fake without limits or faults. */
export async function sendCost(count: number) {
  const fake = await startFakeBotConnector({ tenantLimits: [{ limit: 1e9, windowMs: 1000 }], conversationLimits: [{ limit: 1e9, windowMs: 1000 }] });
  try {
    const channel = new TeamsChannel({ appId: '' });
    const data = isCardName(CARD) ? sampleData(CARD, 'da') : {};
    const card = isCardName(CARD) ? renderCard(CARD, data, 'teams', { locale: 'da', timeZone: 'Europe/Copenhagen' }) : {};
    const message = { card: card as Record<string, unknown>, text: 'x' };
    const list = Array.from({ length: count }, (_, i): Recipient => ({ team: { tenant: 't', team: 'x' }, key: `29:1probe-${i}`, conversationId: `a:1probe-${i}`, channel: false }));
    const viaBotbuilder = async (i: number) => void (await channel.send(reference(list[i]!, fake.url), message, { key: `k${i}` }));
    const body = JSON.stringify({ type: 'message', summary: 'x', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }], conversation: { id: 'c', tenantId: 't' } });
    const bare = async (i: number) => {
      const response = await fetch(`${fake.url}v3/conversations/${encodeURIComponent(list[i]!.conversationId)}/activities`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      await response.json();
    };
    const measure = async (send: (i: number) => Promise<void>) => {
      await pool(Math.min(50, count), 16, send); // warm-up
      const rounds: Array<{ cpuMs: number; perSec: number }> = [];
      for (let round = 0; round < 3; round++) {
        const t0 = process.cpuUsage();
        const w0 = performance.now();
        await pool(count, 16, send);
        const t = process.cpuUsage(t0);
        rounds.push({ cpuMs: (t.user + t.system) / 1000 / count, perSec: (count / (performance.now() - w0)) * 1000 });
      }
      return rounds.sort((a, b) => a.cpuMs - b.cpuMs)[0]!; // best of three
    };
    return { botbuilder: await measure(viaBotbuilder), bare: await measure(bare) };
  } finally {
    await fake.close();
  }
}
