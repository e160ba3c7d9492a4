// What the fake Bot Connector accepted, turned into a phase's figures: delivered, lost, duplicated, the
// achieved rate and the time from due to delivered, overall and per tenant.
import type { FakeBotConnector } from '../../test/support/fake-bot-connector.ts';
import { type Recipient, idempotencyKey } from './fan-out.ts';
import { percentile, sorted } from './figures.ts';

export interface Outcome {
  accepted: number;
  delivered: number;
  lost: number;
  duplicates: number;
  achievedRate: number;
  wallMs: number;
  p50: number;
  p99: number;
  max: number;
  rejected: { injected429: number; injected5xx: number; limit429: number; other: number };
  perTenant: Array<{ tenant: string; delivered: number; firstMs: number; lastMs: number }>;
  /** The last accepted send's tries, each as `status@ms after due` (`200` the accepted one): what the tail was made of. */
  lastTries: string[];
  /** For each duplicated recipient: when its first and second copies were accepted (ms after due). */
  duplicateTimes: Array<[number, number]>;
}

/** What the fake recorded: in this process, or sent over from its own. */
export type FakeRecords = Pick<FakeBotConnector, 'accepted' | 'rejected' | 'duplicates'>;

export function outcome(fake: FakeRecords, list: Recipient[], dueAt: number): Outcome {
  const accepted = fake.accepted().filter((m) => m.kind === 'send');
  const first = new Map<string, number>();
  const duplicateTimes: Array<[number, number]> = [];
  for (const m of accepted) {
    const key = (m.activity['channelData'] as { sparringsbot?: { key?: string } } | undefined)?.sparringsbot?.key;
    if (key === undefined) continue;
    const earlier = first.get(key);
    if (earlier === undefined) first.set(key, m.at);
    else duplicateTimes.push([earlier - dueAt, m.at - dueAt]);
  }
  const latencies = sorted(
    list
      .map((r) => first.get(idempotencyKey(r)))
      .filter((at) => at !== undefined)
      .map((at) => at - dueAt),
  );
  const last = Math.max(dueAt, ...accepted.map((m) => m.at));
  const wallMs = last - dueAt;
  const lastSend = accepted.find((m) => m.at === last);
  const lastTries = lastSend ? [...fake.rejected().filter((r) => r.conversationId === lastSend.conversationId), { status: 200, at: last }].map((r) => `${r.status}@${r.at - dueAt}`) : [];
  const rejected = { injected429: 0, injected5xx: 0, limit429: 0, other: 0 };
  for (const r of fake.rejected()) {
    if (r.reason === 'fault') rejected[r.status === 429 ? 'injected429' : 'injected5xx']++;
    else if (r.reason === 'throttled') rejected.limit429++;
    else rejected.other++;
  }
  const tenants = [...new Set(list.map((r) => r.team.tenant))];
  const perTenant = tenants.map((tenant) => {
    const mine = accepted.filter((m) => m.tenantId === tenant);
    const times = mine.map((m) => m.at - dueAt);
    return { tenant, delivered: mine.length, firstMs: Math.min(...times), lastMs: Math.max(0, ...times) };
  });
  return {
    accepted: accepted.length,
    delivered: latencies.length,
    lost: list.length - latencies.length,
    duplicates: fake.duplicates().length,
    achievedRate: wallMs > 0 ? (accepted.length / wallMs) * 1000 : 0,
    wallMs,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? NaN,
    rejected,
    perTenant,
    lastTries,
    duplicateTimes,
  };
}
