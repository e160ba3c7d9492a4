import { type CalendarLinks, calendarUrl } from '../app/calendar-link.ts';
import { runSends } from '../app/occurrence-card.ts';
import { formSent } from '../app/form-state.ts';
import type { Claims, Clock, Logger, Outbox, Random, ReplyStore, Run, RunStore } from '../app/ports.ts';
import type { DocumentStore, HoursStore, ReminderStore } from '../app/store-ports.ts';
import { planOf } from '../app/run-plan.ts';
import { anonymitySecret, type Config } from '../config.ts';
import { activitiesById } from '../domain/programme/activities.ts';
import type { Programme } from '../domain/programme/schema.ts';
import { laterRoundDue } from '../domain/timeline/answer-reminders.ts';
import { sendIsStillUseful } from '../domain/timeline/sends.ts';
import type { Occurrence } from '../domain/timeline/types.ts';
import { fireDigests } from './digests.ts';
import { hoursPass } from './book-hours.ts';
import { workItemsFor } from './fan-out.ts';
import { fireDueSnoozes } from './snoozes.ts';

export interface SchedulerDeps {
  /**
   * Runs to plan from, replies for the summaries it posts, the forms sent (a reminder only while one is not), and
   * the hours booked (the leaders' monthly digest), and the reminders people muted or snoozed.
   */
  store: RunStore & ReplyStore & Pick<DocumentStore, 'getDocument' | 'documentVersions'> & HoursStore & Pick<ReminderStore, 'reminderMutes' | 'snoozes' | 'takeDueSnoozes'>;
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
  /** Where notices' "add to calendar" links point; without, they have none. */
  calendarLinks?: CalendarLinks;
  /** The deployment's configuration: with PUBLIC_URL it gives `calendarLinks` when they are not passed. */
  config?: Config;
}

/** The calendar links a scheduler makes: as passed, or from PUBLIC_URL and the deployment's secret. */
export function calendarLinksOf(deps: Pick<SchedulerDeps, 'calendarLinks' | 'config'>): CalendarLinks | undefined {
  if (deps.calendarLinks) return deps.calendarLinks;
  const config = deps.config;
  return config?.PUBLIC_URL ? { baseUrl: config.PUBLIC_URL, secret: anonymitySecret(config) } : undefined;
}

/** How long a replica may take to fan an occurrence out before another takes over. */
export const CLAIM_LEASE_MS = 60_000;

export interface TickResult {
  fired: string[];
  stale: string[];
  /** Reminders and late notices of forms sent in time: done without a post. */
  answered: string[];
  /** Occurrences whose hours were booked, and those whose leaders were warned of a budget (book-hours.ts). */
  hoursBooked: string[];
  hoursWarned: string[];
  /** How late each fired send was queued after its due time (ms), in the order of `fired`: the scheduler's lag. */
  lagMs: number[];
}

/**
 * One scheduler pass, run every minute by every replica and once at start-up to catch up: every send
 * (src/domain/timeline/sends.ts: an occurrence's own card, its notice ahead, its reminder on the day)
 * that is due and not fired is claimed under its key (so exactly one replica fans it out), turned into
 * one outbox item per recipient, and marked fired. One that is no longer useful (yesterday's øvebane,
 * the notice of a meeting that has been held) is marked fired without posting. Both are logged. The run's
 * own sends (the leaders' monthly digest) follow in their own pass (digests.ts), under the same claims.
 */
export async function tick(deps: SchedulerDeps, leaseMs = CLAIM_LEASE_MS): Promise<TickResult> {
  const now = deps.clock.now();
  const result: TickResult = { fired: [], stale: [], answered: [], hoursBooked: [], hoursWarned: [], lagMs: [] };
  const links = calendarLinksOf(deps);
  const calendarLink = links ? (run: Run, occurrence: Occurrence) => calendarUrl(links, { team: run.team, occurrenceId: occurrence.id }) : undefined;
  for (const run of await deps.store.listRuns()) {
    if (!run.active || (deps.scope && !deps.scope(run))) continue;
    const programme = deps.programmes.get(run.programmeId);
    if (!programme) {
      deps.logger.error({ tenant: run.team.tenant, team: run.team.team, programmeId: run.programmeId }, 'run of an unknown programme skipped');
      continue;
    }
    const plan = planOf(run, programme);
    const activities = activitiesById(programme);
    const occurrences = new Map(plan.occurrences.map((o) => [o.id, o]));
    const fired = await deps.claims.fired(run.team);
    const sends = runSends(run, programme, plan);
    for (const send of sends) {
      if (Date.parse(send.at) > now.getTime() || fired.has(send.key)) continue;
      const occurrence = occurrences.get(send.occurrenceId)!;
      const activity = activities.get(occurrence.activityId)!;
      const context = { tenant: run.team.tenant, team: run.team.team, occurrenceId: occurrence.id, send: send.key, card: send.card, due: send.at };
      const claim = await deps.claims.claim(run.team, send.key, deps.owner, leaseMs, now.getTime());
      if (claim !== 'claimed') continue;
      if (!sendIsStillUseful(send, now) || laterRoundDue(send, sends, now)) {
        await deps.claims.complete(run.team, send.key, deps.owner);
        deps.logger.info(context, 'stale occurrence skipped');
        result.stale.push(send.key);
        continue;
      }
      if (send.onlyIfOpen && (await formSent(deps.store, run.team, activity, occurrence.id))) {
        await deps.claims.complete(run.team, send.key, deps.owner);
        deps.logger.info(context, 'form already sent: no reminder');
        result.answered.push(send.key);
        continue;
      }
      const items = await workItemsFor({ ...deps, ...(calendarLink ? { calendarUrl: calendarLink } : {}) }, run, programme, plan, occurrence, send);
      const added = await deps.outbox.enqueue(items, now.getTime());
      await deps.claims.complete(run.team, send.key, deps.owner);
      deps.logger.info({ ...context, recipients: items.length, added, kind: activity.kind }, 'occurrence fired');
      result.fired.push(send.key);
      result.lagMs.push(now.getTime() - Date.parse(send.at));
    }
    await fireDigests(deps, run, programme, plan, fired, leaseMs, result);
    const hours = await hoursPass(deps, { run, programme, plan }, fired, leaseMs);
    result.hoursBooked.push(...hours.booked);
    result.hoursWarned.push(...hours.warned);
    // After the rounds: a round due now skips whoever snoozed, and their snooze brings it once.
    await fireDueSnoozes(deps, run, programme, plan, now);
  }
  return result;
}
