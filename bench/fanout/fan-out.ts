// The fan-out itself: 10 tenants × 2 teams, each team 1/20 of the people plus its channel; their conversations
// saved and one occurrence enqueued to all of them as production queues it.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { ConversationRef, NewWorkItem, TeamRef } from '../../src/app/ports.ts';
import { sampleData } from '../../src/cards/samples.ts';
import { isCardName } from '../../src/cards/view-models.ts';
import { PLATFORM_LIMITS } from '../../src/delivery/limits.ts';
import { pacedOutbox } from '../../src/delivery/pace.ts';
import { queueKey, SHARD_NUMBERS } from '../../src/store/keys.ts';
import { SHARED_CLIENT_OPTIONS } from '../../src/store/redis/client.ts';
import { RedisOutbox } from '../../src/store/redis/redis-delivery.ts';
import { RedisRateLimiter } from '../../src/store/redis/redis-rate-limiter.ts';
import { RedisStore } from '../../src/store/redis/redis-store.ts';
import { connectBench } from '../../test/support/bench-redis.ts';
import { CARD, OCCURRENCE, PEOPLE, REDIS_OPTIONS, TEAMS_PER_TENANT, TENANTS } from './config.ts';
import { sum } from './figures.ts';

/**
 * Items are enqueued as production queues them (paced: each tenant's spread at its rate) an hour ahead,
 * then all moved by the same amount so that the first is due this long after (so the in-process loops,
 * asleep up to a second, are awake by then): enqueueing is not in the figures.
 */
const LEAD_MS = 1_100;
const RESTAMP = `local members = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
for i = 1, #members, 2 do redis.call('ZADD', KEYS[1], 'XX', tonumber(members[i + 1]) + tonumber(ARGV[1]), members[i]) end
return #members / 2`;

export interface Recipient {
  team: TeamRef;
  key: string;
  conversationId: string;
  channel: boolean;
}

/** The dead letters of the recipients' teams (each team keeps its own). */
export async function deadLettersOf(outbox: RedisOutbox, list: Recipient[]) {
  const teams = new Map(list.map((r) => [`${r.team.tenant}/${r.team.team}`, r.team]));
  return (await Promise.all([...teams.values()].map((team) => outbox.deadLetters(team, 1000)))).flat();
}

export function recipients(): Recipient[] {
  const list: Recipient[] = [];
  const perTeam = PEOPLE / (TENANTS * TEAMS_PER_TENANT);
  for (let t = 0; t < TENANTS; t++) {
    const tenant = `0000000${t}-6d0e-4b7a-9c21-5e4f7a0b9d13`;
    for (let k = 0; k < TEAMS_PER_TENANT; k++) {
      const team = { tenant, team: `19:team${t}x${k}@thread.tacv2` };
      for (let n = 0; n < perTeam; n++) list.push({ team, key: `29:1user-${t}-${k}-${n}`, conversationId: `a:1conv-${t}-${k}-${n}`, channel: false });
      const channelId = `19:chan${t}x${k}@thread.tacv2`;
      list.push({ team, key: `channel:${channelId}`, conversationId: channelId, channel: true });
    }
  }
  return list;
}

export const idempotencyKey = (r: Recipient) => `${r.team.tenant}/${r.team.team}/${OCCURRENCE}/${r.key}`;

export function reference(r: Recipient, serviceUrl: string): ConversationRef {
  return {
    platform: 'teams',
    key: r.key,
    reference: {
      serviceUrl,
      channelId: 'msteams',
      conversation: { id: r.conversationId, tenantId: r.team.tenant, conversationType: r.channel ? 'channel' : 'personal' },
      bot: { id: '28:bot-app-id', name: 'Sparringsbot' },
      ...(r.channel ? {} : { user: { id: r.key, name: 'Kollega' } }),
      activityId: 'f:incoming-1',
    },
  };
}

/** `count` tasks run by `workers` concurrent loops. */
export async function pool(count: number, workers: number, task: (i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      for (let i = next++; i < count; i = next++) await task(i);
    }),
  );
}

export async function saveConversations(url: string, namespace: string, list: Recipient[], serviceUrl: string) {
  const store = new RedisStore(connectBench(url, REDIS_OPTIONS), { id: randomUUID, next: Math.random }, namespace);
  await pool(list.length, 100, (i) => store.saveConversation(list[i]!.team, reference(list[i]!, serviceUrl)));
  await store.close();
}

/**
 * One occurrence, one item per recipient, enqueued per team through the paced outbox (as the scheduler
 * queues a fan-out), the teams at once, then all moved so the first is due at `LEAD_MS` from the end of
 * enqueueing. Returns that due time and how long enqueueing took.
 */
export async function enqueue(url: string, namespace: string, list: Recipient[]): Promise<{ dueAt: number; enqueueMs: number }> {
  if (!isCardName(CARD)) throw new Error(`unknown card ${CARD}`);
  const card = { name: CARD, data: sampleData(CARD, 'da'), locale: 'da' as const, timeZone: 'Europe/Copenhagen' };
  const redis = connectBench(url, SHARED_CLIENT_OPTIONS);
  const store = new RedisStore(redis, { id: randomUUID, next: Math.random }, namespace);
  const outbox = pacedOutbox(new RedisOutbox(redis, namespace), { limiter: new RedisRateLimiter(redis, PLATFORM_LIMITS, namespace), store });
  const byTeam = new Map<string, NewWorkItem[]>();
  for (const r of list) {
    const key = `${r.team.tenant}/${r.team.team}`;
    byTeam.set(key, [...(byTeam.get(key) ?? []), { team: r.team, occurrenceId: OCCURRENCE, recipient: r.key, card }]);
  }
  const start = performance.now();
  const base = Date.now() + 3_600_000;
  const added = await Promise.all([...byTeam.values()].map((items) => outbox.enqueue(items, base)));
  const enqueueMs = performance.now() - start;
  if (sum(added) !== list.length) throw new Error(`enqueued ${sum(added)} of ${list.length}`);
  const dueAt = Date.now() + LEAD_MS;
  const stamps = await Promise.all(SHARD_NUMBERS.map((shard) => redis.eval(RESTAMP, 1, queueKey(shard, namespace), dueAt - base)));
  const stamped = stamps.reduce<number>((sum, n) => sum + Number(n), 0);
  if (stamped !== list.length) throw new Error(`stamped ${stamped} of ${list.length}`);
  await redis.quit();
  return { dueAt, enqueueMs };
}
