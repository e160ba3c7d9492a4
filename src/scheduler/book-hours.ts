// Hours in the scheduler's pass: every occurrence that has ended books its planned hours for its audience,
// and before an occurrence whose booking would go past a budget the team's leaders are warned. Each is done
// once per occurrence across replicas, under its own claim (`<id>#hours`, `<id>#hours-warning`).
import { runSends } from '../app/occurrence-card.ts';
import type { Claims, Clock, HoursStore, Logger, NewWorkItem, Outbox, Run } from '../app/ports.ts';
import type { ViewModelInput } from '../cards/view-models.ts';
import { activitiesById } from '../domain/programme/activities.ts';
import type { Programme } from '../domain/programme/schema.ts';
import { bookingsFor, isOver } from '../domain/hours/booking.ts';
import { hasBudget, type Overrun, overrunsOf, personBudget } from '../domain/hours/budget.ts';
import type { Occurrence, Plan } from '../domain/timeline/types.ts';

export interface HoursPassDeps {
  store: HoursStore;
  claims: Claims;
  outbox: Outbox;
  clock: Clock;
  logger: Logger;
  owner: string;
}

export const hoursKey = (occurrenceId: string) => `${occurrenceId}#hours`;
export const hoursWarningKey = (occurrenceId: string) => `${occurrenceId}#hours-warning`;

export interface HoursPassResult {
  /** Occurrences booked in this pass. */
  booked: string[];
  /** Occurrences whose leaders were warned in this pass. */
  warned: string[];
}

/** One run's hours for this tick: book what has ended, then look ahead for budgets a booking would pass. */
export async function hoursPass(deps: HoursPassDeps, team: { run: Run; programme: Programme; plan: Plan }, fired: ReadonlySet<string>, leaseMs: number): Promise<HoursPassResult> {
  const { run, programme, plan } = team;
  const now = deps.clock.now();
  const activities = activitiesById(programme);
  const result: HoursPassResult = { booked: [], warned: [] };
  const claimed = async (key: string) => (await deps.claims.claim(run.team, key, deps.owner, leaseMs, now.getTime())) === 'claimed';
  const context = (o: Occurrence) => ({ tenant: run.team.tenant, team: run.team.team, occurrenceId: o.id });

  for (const o of plan.occurrences) {
    if (!isOver(o, now) || fired.has(hoursKey(o.id))) continue;
    if (!(await claimed(hoursKey(o.id)))) continue;
    // Those in the audience now: a member who joined later is booked for what ends after they joined.
    const bookings = bookingsFor(run.members, o, activities.get(o.activityId)!);
    let added = 0;
    for (const b of bookings) if (await deps.store.addHours(run.team, { ...b, at: now.toISOString() })) added++;
    await deps.claims.complete(run.team, hoursKey(o.id), deps.owner);
    deps.logger.info({ ...context(o), people: bookings.length, added }, 'hours booked');
    result.booked.push(o.id);
  }

  if (!hasBudget(programme)) return result;
  const warnAt = earliestSends(run, programme, plan);
  const due = plan.occurrences.filter((o) => !isOver(o, now) && warnAt.get(o.id)! <= now.getTime() && !fired.has(hoursWarningKey(o.id)) && countsAgainstBudget(programme, run, o));
  if (due.length === 0) return result;
  const entries = await deps.store.hours(run.team);
  for (const o of due) {
    if (!(await claimed(hoursWarningKey(o.id)))) continue;
    const overruns = overrunsOf({ programme, members: run.members, occurrences: plan.occurrences, activities, entries }, o, now);
    const items = overruns.length > 0 ? warningItems(run, programme, activities.get(o.activityId)!.title[run.locale], o, overruns) : [];
    const added = items.length > 0 ? await deps.outbox.enqueue(items, now.getTime()) : 0;
    await deps.claims.complete(run.team, hoursWarningKey(o.id), deps.owner);
    if (items.length === 0) continue;
    deps.logger.info({ ...context(o), overruns: overruns.length, recipients: items.length, added }, 'leaders warned: a booking would exceed the hours budget');
    result.warned.push(o.id);
  }
  return result;
}

/**
 * When the run's hours are next due (ms), as `hoursPass` decides: a booking at the end of every occurrence not
 * yet booked, and a warning at `earliestSends` for an occurrence that counts against a budget and is not over.
 * A warning whose occurrence is over is never sent, so it is not waited for.
 */
export function nextHoursDue(team: { run: Run; programme: Programme; plan: Plan }, fired: ReadonlySet<string>, now: Date): number | undefined {
  const { run, programme, plan } = team;
  let next = Infinity;
  for (const o of plan.occurrences) if (!fired.has(hoursKey(o.id))) next = Math.min(next, Date.parse(o.end));
  if (hasBudget(programme)) {
    const warnAt = earliestSends(run, programme, plan);
    for (const o of plan.occurrences) {
      if (isOver(o, now) || fired.has(hoursWarningKey(o.id)) || !countsAgainstBudget(programme, run, o)) continue;
      next = Math.min(next, warnAt.get(o.id)!);
    }
  }
  return next === Infinity ? undefined : next;
}

/**
 * When the leaders hear of an occurrence's booking ahead: with its first card out (its notice, some working
 * days before), so there is time to change the plan; at its start for one that sends nothing earlier.
 */
function earliestSends(run: Run, programme: Programme, plan: Plan): Map<string, number> {
  const at = new Map(plan.occurrences.map((o) => [o.id, Date.parse(o.start)]));
  for (const send of runSends(run, programme, plan)) at.set(send.occurrenceId, Math.min(at.get(send.occurrenceId) ?? Infinity, Date.parse(send.at)));
  return at;
}

/** Only an occurrence that books hours on a budget can pass one: a budgeted role in its audience, or a punch card session. */
function countsAgainstBudget(programme: Programme, run: Run, o: Occurrence): boolean {
  if (programme.punchCard?.activities.includes(o.activityId)) return true;
  return run.members.some((m) => m.roles.some((r) => o.audience.includes(r)) && personBudget(programme, m.roles) !== undefined);
}

/** The warning for the team's leaders (its facilitators, in a team with no leader). */
function warningItems(run: Run, programme: Programme, title: string, o: Occurrence, overruns: Overrun[]): NewWorkItem[] {
  const leaders = run.members.filter((m) => m.roles.includes('leader'));
  const recipients = (leaders.length > 0 ? leaders : run.members.filter((m) => m.roles.includes('facilitator'))).map((m) => m.userId);
  const nameOf = (userId: string) => run.members.find((m) => m.userId === userId)?.name ?? userId;
  const card = overruns.find((r) => r.kind === 'punchCard');
  const data: ViewModelInput<'hours-warning'> = {
    programmeTitle: programme.title[run.locale],
    title,
    startsAt: o.start,
    people: overruns.flatMap((r) => (r.kind === 'person' ? [{ name: nameOf(r.userId), budget: r.budget, projected: r.projected, over: r.over }] : [])),
    ...(card ? { punchCard: { budget: card.budget, projected: card.projected, over: card.over } } : {}),
  };
  return recipients.map((recipient) => ({
    team: run.team,
    occurrenceId: hoursWarningKey(o.id),
    recipient,
    card: { name: 'hours-warning', data, locale: run.locale, timeZone: run.timeZone },
  }));
}
