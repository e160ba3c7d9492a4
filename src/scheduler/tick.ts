import type { Claims, Clock, Logger, Outbox, Random, ReplyStore, Run, RunStore } from '../app/ports.ts';
import { planOf } from '../app/run-plan.ts';
import { activitiesById } from '../domain/programme/activities.ts';
import type { Programme } from '../domain/programme/schema.ts';
import { dueOccurrences, isStillUseful } from '../domain/timeline/due.ts';
import { workItemsFor } from './fan-out.ts';

export interface SchedulerDeps {
  /** Runs to plan from, and replies for the summaries it posts. */
  store: RunStore & ReplyStore;
  claims: Claims;
  outbox: Outbox;
  programmes: ReadonlyMap<string, Programme>;
  clock: Clock;
  random: Random;
  logger: Logger;
  /** This replica's name, the owner of its claims. */
  owner: string;
  /**
   * The runs this scheduler serves, when not all: the playground's demo clock drives only its demo
   * team, and the real clock every other team.
   */
  scope?: (run: Run) => boolean;
  /** Whether mail can leave this deployment: the pre-visit form says so when it cannot. */
  canMail?: boolean;
}

/** How long a replica may take to fan an occurrence out before another takes over. */
export const CLAIM_LEASE_MS = 60_000;

export interface TickResult {
  fired: string[];
  stale: string[];
}

/**
 * One scheduler pass, run every minute by every replica and once at start-up to catch up: every
 * occurrence that is due and not fired is claimed (so exactly one replica fans it out), turned into
 * one outbox item per recipient, and marked fired. One that is no longer useful (yesterday's
 * øvebane after downtime) is marked fired without posting. Both are logged.
 */
export async function tick(deps: SchedulerDeps, leaseMs = CLAIM_LEASE_MS): Promise<TickResult> {
  const now = deps.clock.now();
  const result: TickResult = { fired: [], stale: [] };
  for (const run of await deps.store.listRuns()) {
    if (!run.active || (deps.scope && !deps.scope(run))) continue;
    const programme = deps.programmes.get(run.programmeId);
    if (!programme) {
      deps.logger.error({ tenant: run.team.tenant, team: run.team.team, programmeId: run.programmeId }, 'run of an unknown programme skipped');
      continue;
    }
    const plan = planOf(run, programme);
    const activities = activitiesById(programme);
    for (const occurrence of dueOccurrences(plan.occurrences, await deps.claims.fired(run.team), now)) {
      const activity = activities.get(occurrence.activityId)!;
      const context = { tenant: run.team.tenant, team: run.team.team, occurrenceId: occurrence.id, due: occurrence.start };
      const claim = await deps.claims.claim(run.team, occurrence.id, deps.owner, leaseMs, now.getTime());
      if (claim !== 'claimed') continue;
      if (!isStillUseful(occurrence, activity, now, run.timeZone)) {
        await deps.claims.complete(run.team, occurrence.id, deps.owner);
        deps.logger.info(context, 'stale occurrence skipped');
        result.stale.push(occurrence.id);
        continue;
      }
      const items = await workItemsFor(deps, run, programme, plan, occurrence);
      const added = await deps.outbox.enqueue(items, now.getTime());
      await deps.claims.complete(run.team, occurrence.id, deps.owner);
      deps.logger.info({ ...context, recipients: items.length, added }, 'occurrence fired');
      result.fired.push(occurrence.id);
    }
  }
  return result;
}
