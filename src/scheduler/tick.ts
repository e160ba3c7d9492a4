import { type CalendarLinks, calendarUrl } from '../app/calendar-link.ts';
import { runSends } from '../app/occurrence-card.ts';
import { formSent } from '../app/form-state.ts';
import type { Claims, Clock, DueIndex, DueRun, Logger, Outbox, Random, ReplyStore, Run, RunStore, TeamRef } from '../app/ports.ts';
import type { DocumentStore, HoursStore, ReminderStore } from '../app/store-ports.ts';
import { planOf } from '../app/run-plan.ts';
import { anonymitySecret, type Config } from '../config.ts';
import { activitiesById } from '../domain/programme/activities.ts';
import type { Programme } from '../domain/programme/schema.ts';
import { laterRoundDue } from '../domain/timeline/answer-reminders.ts';
import { sendIsStillUseful } from '../domain/timeline/sends.ts';
import type { Occurrence, Plan } from '../domain/timeline/types.ts';
import { fireDigests } from './digests.ts';
import type { FailedRuns } from './failed-runs.ts';
import { hoursPass } from './book-hours.ts';
import { workItemsFor } from './fan-out.ts';
import { nextDueOf } from './next-due.ts';
import { fireDueSnoozes } from './snoozes.ts';

export interface SchedulerDeps {
  /**
   * Runs to plan from and the index of when each is due, replies for the summaries it posts, the forms sent (a
   * reminder only while one is not), the hours booked (the leaders' monthly digest), and the reminders people
   * muted or snoozed.
   */
  store: RunStore & DueIndex & ReplyStore & Pick<DocumentStore, 'getDocument' | 'documentVersions'> & HoursStore & Pick<ReminderStore, 'reminderMutes' | 'snoozes' | 'takeDueSnoozes'>;
  claims: Claims;
  outbox: Outbox;
  programmes: ReadonlyMap<string, Programme>;
  clock: Clock;
  random: Random;
  logger: Logger;
  /** This replica's name, the owner of its claims. */
  owner: string;
  /**
   * The runs this scheduler serves, when not all: the real clock serves every team but the playground's demo.
   * A run outside it leaves the due-time index when a tick meets it there: its own scheduler reads it directly.
   */
  scope?: (run: Pick<Run, 'team'>) => boolean;
  /** This process's runs whose serving failed, to try each less often while it keeps failing; without it, every tick. */
  failedRuns?: FailedRuns;
  /**
   * A few teams served on a clock of their own (the playground's demo team on its demo clock): each is read and
   * planned at every tick, and the due-time index, whose times are the real clock's, is neither read nor written.
   */
  teams?: readonly TeamRef[];
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

/**
 * How many due runs one tick serves at once. Serving a run is mostly waiting for Redis (a dozen round trips),
 * so a few at a time keep the connection busy; more would only queue behind the planning, which is CPU.
 */
export const RUNS_AT_ONCE = 8;

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
  /** How many runs this tick looked at: those the index had due (or the fixed `teams`), whatever they had to do. */
  runs: number;
  /** How many of them failed to be served (logged; tried again, less often each time: failed-runs.ts). */
  failed: number;
}

const emptyResult = (): TickResult => ({ fired: [], stale: [], answered: [], hoursBooked: [], hoursWarned: [], lagMs: [], runs: 0, failed: 0 });

/**
 * One scheduler pass, run every minute by every replica and once at start-up to catch up: every send
 * (src/domain/timeline/sends.ts: an occurrence's own card, its notice ahead, its reminder on the day)
 * that is due and not fired is claimed under its key (so exactly one replica fans it out), turned into
 * one outbox item per recipient, and marked fired. One that is no longer useful (yesterday's øvebane,
 * the notice of a meeting that has been held) is marked fired without posting. Both are logged. The run's
 * own sends (the leaders' monthly digest) follow in their own pass (digests.ts), under the same claims.
 *
 * Only the runs the due-time index has due by now are read (DueIndex): a tick with nothing due is one range
 * query, however many runs there are. Each run served gets its next due time written back (next-due.ts), unless
 * it changed meanwhile; the index never makes a send fire twice (the claims do that) nor skip one (see DueIndex).
 */
export async function tick(deps: SchedulerDeps, leaseMs = CLAIM_LEASE_MS): Promise<TickResult> {
  const now = deps.clock.now();
  if (deps.teams) {
    const results: TickResult[] = [];
    for (const team of deps.teams) {
      const run = await deps.store.getRun(team);
      const served = run?.active ? programmeOf(deps, run) : undefined;
      if (served) results.push(await serveRun(deps, served, now, leaseMs));
    }
    return merged(results);
  }
  const due = await deps.store.dueRuns(now.getTime());
  return merged(await eachAtOnce(due, RUNS_AT_ONCE, (entry) => serveIndexed(deps, entry, now, leaseMs)));
}

/**
 * One run the index had due: read after its revision (so a change since either is read here or makes the
 * write below a no-op), served, and given its next due time from what has fired by then. A run that is gone,
 * stopped, of another scheduler or of a programme this deployment does not have leaves the index; a change
 * (a save) or the start-up reindex brings it back. A run whose serving fails keeps its time, so the next tick
 * tries again; the others go on.
 */
async function serveIndexed(deps: SchedulerDeps, entry: DueRun, now: Date, leaseMs: number): Promise<TickResult> {
  const { team, revision } = entry;
  try {
    if (deps.scope && !deps.scope(entry)) {
      await deps.store.reschedule(team, revision, undefined);
      return emptyResult();
    }
    const run = await deps.store.getRun(team);
    const served = run?.active ? programmeOf(deps, run) : undefined;
    if (!served) {
      await deps.store.reschedule(team, revision, undefined);
      return { ...emptyResult(), runs: 1 };
    }
    const result = await serveRun(deps, served, now, leaseMs);
    // Read again after the passes: only what is on record as fired may be left behind (a claim this replica lost
    // mid-way is not), and a snooze taken now is gone.
    const [fired, snoozes] = await Promise.all([deps.claims.fired(team), deps.store.snoozes(team)]);
    await deps.store.reschedule(team, revision, nextDueOf(served, fired, snoozes, now));
    deps.failedRuns?.served(team);
    return result;
  } catch (error) {
    const { inARow, retryAtMs } = deps.failedRuns?.failed(team, now.getTime()) ?? { inARow: 1 };
    // Unless the run changed meanwhile (then it is due at once); with Redis away this fails too, and the run keeps its time.
    if (retryAtMs !== undefined) await deps.store.reschedule(team, revision, retryAtMs).catch(() => undefined);
    const retryAt = retryAtMs === undefined ? 'next tick' : new Date(retryAtMs).toISOString();
    deps.logger.error(
      { tenant: team.tenant, team: team.team, failuresInARow: inARow, retryAt, err: error },
      'scheduler failed for a run; it is tried again at retryAt, or at once when the run changes',
    );
    return { ...emptyResult(), runs: 1, failed: 1 };
  }
}

/** The run with its programme and plan; undefined (logged) for a programme this deployment does not have. */
function programmeOf(deps: SchedulerDeps, run: Run): { run: Run; programme: Programme; plan: Plan } | undefined {
  const programme = deps.programmes.get(run.programmeId);
  if (!programme) {
    deps.logger.error({ tenant: run.team.tenant, team: run.team.team, programmeId: run.programmeId }, 'run of an unknown programme skipped');
    return undefined;
  }
  return { run, programme, plan: planOf(run, programme) };
}

/** Everything due for one run by `now`: its sends, then its digests, hours and snoozed reminders. */
async function serveRun(deps: SchedulerDeps, served: { run: Run; programme: Programme; plan: Plan }, now: Date, leaseMs: number): Promise<TickResult> {
  const { run, programme, plan } = served;
  const result = { ...emptyResult(), runs: 1 };
  const links = calendarLinksOf(deps);
  const calendarLink = links ? (r: Run, occurrence: Occurrence) => calendarUrl(links, { team: r.team, occurrenceId: occurrence.id }) : undefined;
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
  const hours = await hoursPass(deps, served, fired, leaseMs);
  result.hoursBooked.push(...hours.booked);
  result.hoursWarned.push(...hours.warned);
  // After the rounds: a round due now skips whoever snoozed, and their snooze brings it once.
  await fireDueSnoozes(deps, run, programme, plan, now);
  return result;
}

/** `serve` over `items`, `limit` at a time, the results in the order of the items (so a tick's result reads as before). */
async function eachAtOnce<T, R>(items: readonly T[], limit: number, serve: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await serve(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function merged(results: readonly TickResult[]): TickResult {
  const all = emptyResult();
  for (const r of results) {
    all.fired.push(...r.fired);
    all.stale.push(...r.stale);
    all.answered.push(...r.answered);
    all.hoursBooked.push(...r.hoursBooked);
    all.hoursWarned.push(...r.hoursWarned);
    all.lagMs.push(...r.lagMs);
    all.runs += r.runs;
    all.failed += r.failed;
  }
  return all;
}
