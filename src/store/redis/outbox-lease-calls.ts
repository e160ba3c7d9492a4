import type { LeasedItem } from '../../app/ports.ts';
import { keysFor } from '../keys.ts';
import type { Script } from './redis-team.ts';

type Leased = Pick<LeasedItem, 'team' | 'occurrenceId' | 'recipient' | 'lease'>;

/**
 * Runs a lease script (LEASE or RENEW in delivery-scripts.ts: KEYS the occurrence's outbox hash and lease hash,
 * ARGV the lease ms and each item's recipient and token) once per occurrence, not once per item: a fan-out's items
 * share one hash. Gives each item its `width` answers, in the order the items came.
 */
export async function perOccurrence(script: Script, items: readonly Leased[], leaseMs: number, width: number, namespace?: string): Promise<unknown[][]> {
  const groups = new Map<string, Array<{ item: Leased; index: number }>>();
  for (const [index, item] of items.entries()) {
    const hash = keysFor(item.team, namespace).outbox(item.occurrenceId);
    const group = groups.get(hash) ?? [];
    group.push({ item, index });
    groups.set(hash, group);
  }
  const answers: unknown[][] = new Array(items.length);
  await Promise.all(
    [...groups].map(async ([hash, group]) => {
      const { team, occurrenceId } = group[0]!.item;
      const leases = keysFor(team, namespace).outboxLeases(occurrenceId);
      const flat = (await script(hash, leases, leaseMs, ...group.flatMap(({ item }) => [item.recipient, item.lease]))) as unknown[];
      for (const [i, { index }] of group.entries()) answers[index] = flat.slice(width * i, width * (i + 1));
    }),
  );
  return answers;
}
