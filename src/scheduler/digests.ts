import { digestCard, runDigests } from '../app/monthly-digest.ts';
import type { Run } from '../app/ports.ts';
import type { Programme } from '../domain/programme/schema.ts';
import { audienceOf } from '../domain/roles/audience.ts';
import type { Plan } from '../domain/timeline/types.ts';
import type { SchedulerDeps, TickResult } from './tick.ts';

/**
 * The run's own sends, beside its occurrences': each month's digest to the leaders (src/domain/timeline/digests.ts),
 * claimed under `digest:YYYY-MM` like an occurrence's send, so it goes out once across replicas and ticks.
 * One due when the bot was down for more than its few days is marked done without a post: last month's news
 * arriving a week late, or a whole run's digests on a restart, would help no one.
 */
export async function fireDigests(deps: SchedulerDeps, run: Run, programme: Programme, plan: Plan, fired: Set<string>, leaseMs: number, result: TickResult): Promise<void> {
  const now = deps.clock.now();
  for (const digest of runDigests(run, programme, plan)) {
    if (Date.parse(digest.at) > now.getTime() || fired.has(digest.key)) continue;
    const context = { tenant: run.team.tenant, team: run.team.team, send: digest.key, card: digest.card, due: digest.at };
    if ((await deps.claims.claim(run.team, digest.key, deps.owner, leaseMs, now.getTime())) !== 'claimed') continue;
    if (now.getTime() >= Date.parse(digest.until)) {
      await deps.claims.complete(run.team, digest.key, deps.owner);
      deps.logger.info(context, 'stale digest skipped');
      result.stale.push(digest.key);
      continue;
    }
    const { name, data } = await digestCard(deps, run, programme, plan, digest, now);
    const card = { name, data, locale: run.locale, timeZone: run.timeZone };
    const items = audienceOf(run.members, digest).map((recipient) => ({ team: run.team, occurrenceId: digest.key, recipient, card }));
    const added = await deps.outbox.enqueue(items, now.getTime());
    await deps.claims.complete(run.team, digest.key, deps.owner);
    deps.logger.info({ ...context, recipients: items.length, added }, 'digest fired');
    result.fired.push(digest.key);
  }
}

/** When the run's next digest is due (ms): the earliest not yet fired, even one past due; undefined when none is left. */
export function nextDigestDue(run: Run, programme: Programme, plan: Plan, fired: ReadonlySet<string>): number | undefined {
  let next: number | undefined;
  for (const digest of runDigests(run, programme, plan)) if (!fired.has(digest.key)) next = Math.min(next ?? Infinity, Date.parse(digest.at));
  return next;
}
