import type { ConversationStore, NewWorkItem, Outbox, RateLimiter, TeamRef } from '../app/ports.ts';

/** How many of a team's recipients are tried, in turn, to learn its platform: a team's conversations are all on one. */
const PLATFORM_PROBES = 3;

export interface PaceDeps {
  limiter: RateLimiter;
  store: Pick<ConversationStore, 'getConversation'>;
}

/**
 * When each item is due: the cards due now of each team spread at its tenant's rate, after what the
 * tenant has queued before (RateLimiter.pace), so that a fan-out of thousands reaches the queue as a steady
 * stream the limiter grants one by one, not as a burst it must turn away and hand slots to. Mails (no
 * platform limit), items due later, and a team whose platform is unknown (no conversation yet) are due as asked.
 */
export async function pacedDueTimes(deps: PaceDeps, items: readonly NewWorkItem[], nowMs: number, dueMs?: readonly number[]): Promise<number[]> {
  const due = items.map((_, i) => dueMs?.[i] ?? nowMs);
  const byTeam = new Map<string, { team: TeamRef; indexes: number[] }>();
  for (const [i, item] of items.entries()) {
    if (!item.card || due[i]! > nowMs) continue;
    const key = JSON.stringify([item.team.tenant, item.team.team]);
    const group = byTeam.get(key) ?? { team: item.team, indexes: [] };
    group.indexes.push(i);
    byTeam.set(key, group);
  }
  for (const { team, indexes } of byTeam.values()) {
    const platform = await platformOf(
      deps,
      team,
      indexes.slice(0, PLATFORM_PROBES).map((i) => items[i]!.recipient),
    );
    if (!platform) continue;
    const { startMs, intervalMs } = await deps.limiter.pace(platform, team.tenant, indexes.length, nowMs);
    for (const [n, i] of indexes.entries()) due[i] = Math.round(startMs + n * intervalMs);
  }
  return due;
}

async function platformOf(deps: PaceDeps, team: TeamRef, recipients: string[]): Promise<string | undefined> {
  for (const recipient of recipients) {
    const ref = await deps.store.getConversation(team, recipient);
    if (ref) return ref.platform;
  }
  return undefined;
}

/**
 * The outbox with paced enqueueing (see pacedDueTimes); everything else is the outbox's own. Used for
 * what the app and the scheduler queue, so every fan-out is spread whoever queues it.
 */
export function pacedOutbox<O extends Outbox>(outbox: O, deps: PaceDeps): O {
  const enqueue: Outbox['enqueue'] = async (items, nowMs, dueMs) => outbox.enqueue(items, nowMs, await pacedDueTimes(deps, items, nowMs, dueMs));
  return new Proxy(outbox, {
    get(target, property) {
      if (property === 'enqueue') return enqueue;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
