// The timeline engine: (programme, run settings, calendar) → ordered occurrences. Pure: no clock, no I/O.
import type { DateTime } from 'luxon';
import { type Calendar, withClosedDays } from '../calendar/calendar.ts';
import type { Activity, Programme } from '../programme/schema.ts';
import { dependenciesOf } from '../programme/vocabulary.ts';
import { hoursByRole, punchCardHours } from './hours.ts';
import { at, hhmm } from './local-time.ts';
import { keepAfter, orderWarnings } from './order.ts';
import { slotsFor } from './rules.ts';
import { parseFixedDate } from './run-calendar.ts';
import { matchesSettings } from './term-weeks.ts';
import type { Occurrence, Plan, PlanWarning, RunSettings, Slot } from './types.ts';

/**
 * The run's closed days are added to `baseCalendar` here; its kind and sportlov week are the caller's
 * (calendarFor builds the whole run calendar). Fixed dates replace the rule's date of those occurrences.
 */
export function buildPlan(programme: Programme, run: RunSettings, baseCalendar: Calendar): Plan {
  const calendar = withClosedDays(baseCalendar, run.calendar?.closed);
  const settings = resolveSettings(programme, run.settings ?? {});
  const runStart = calendar.day(run.start);
  if (!runStart.isValid) throw new RangeError(`invalid start date "${run.start}"`);
  const activities = programme.phases.flatMap((p) => p.activities).filter((a) => matchesSettings(a.when, settings));
  const warnings: PlanWarning[] = [];
  const warn = (w: PlanWarning) => warnings.push(w);
  const placed = new Map<string, Occurrence[]>();
  const fixed = fixedDates(run.calendar?.fixed ?? {}, warn);
  const used = new Set<string>();

  for (const activity of inDependencyOrder(activities)) {
    const slots = slotsFor(activity.timing, { activity, runStart, settings, placed, warn }, calendar);
    const rebuild = (i: number) => (start: DateTime) => toOccurrence(activity, { ...slots[i]!, start, weeks: undefined }, i, slots.length, calendar);
    const occurrences = slots.map((slot, i) => {
      const o = toOccurrence(activity, slot, i, slots.length, calendar);
      const date = fixed.get(o.id);
      if (!date) return o;
      used.add(o.id);
      return rebuild(i)(at(calendar.day(date.date), date.time ?? hhmm(slot.start)));
    });
    const indexOf = new Map(occurrences.map((o, i) => [o.id, i]));
    placed.set(
      activity.id,
      keepAfter(activity, occurrences, placed, calendar, used, (o, start) => rebuild(indexOf.get(o.id)!)(start), warn),
    );
  }
  for (const id of fixed.keys()) if (!used.has(id)) warnings.push({ code: 'unknownFixed', id });
  warnings.push(...orderWarnings(activities, placed, calendar));

  const order = new Map(activities.map((a, i) => [a.id, i]));
  const occurrences = [...placed.values()].flat().sort((a, b) => a.start.localeCompare(b.start) || order.get(a.activityId)! - order.get(b.activityId)! || a.id.localeCompare(b.id));

  if (programme.punchCard) {
    const planned = punchCardHours(programme.punchCard.activities, activities, occurrences);
    if (planned > programme.punchCard.hours) warnings.push({ code: 'punchCardExceeded', planned, budget: programme.punchCard.hours });
  }
  return {
    programmeId: programme.id,
    timezone: calendar.timezone,
    start: runStart.toISODate()!,
    settings,
    hours: hoursByRole(programme, activities, occurrences),
    warnings,
    occurrences,
  };
}

/** The programme's defaults overlaid with the run's choices. A choice no variant knows yields a `noVariant` warning; the CLI refuses unknown choices before this. */
export function resolveSettings(programme: Programme, chosen: Record<string, string>): Record<string, string> {
  return Object.fromEntries(programme.settings.map((s) => [s.id, chosen[s.id] ?? s.default]));
}

/** A stored run's fixed dates: one that cannot be read is left out with a warning, so the rest still plan. */
function fixedDates(fixed: Record<string, string>, warn: (w: PlanWarning) => void): Map<string, { date: string; time?: string }> {
  const dates = new Map<string, { date: string; time?: string }>();
  for (const [id, value] of Object.entries(fixed)) {
    const date = parseFixedDate(value);
    if (date) dates.set(id, date);
    else warn({ code: 'badFixed', id, value });
  }
  return dates;
}

function inDependencyOrder(activities: Activity[]): Activity[] {
  const byId = new Map(activities.map((a) => [a.id, a]));
  const done = new Set<string>();
  const ordered: Activity[] = [];
  // The schema has refused cycles, so a depth-first walk terminates.
  const visit = (a: Activity) => {
    if (done.has(a.id)) return;
    done.add(a.id);
    for (const dep of dependenciesOf(a)) {
      const target = byId.get(dep);
      if (target) visit(target);
    }
    ordered.push(a);
  };
  activities.forEach(visit);
  return ordered;
}

function toOccurrence(activity: Activity, slot: Slot, index: number, count: number, calendar: Calendar): Occurrence {
  const start = slot.start;
  const end = activity.windowDays ? start.plus({ days: activity.windowDays }) : start.plus({ minutes: activity.durationMinutes });
  return {
    id: slot.key ? `${activity.id}:${slot.key}` : count > 1 ? `${activity.id}:${index + 1}` : activity.id,
    activityId: activity.id,
    kind: activity.kind,
    start: utc(start),
    end: utc(end),
    weeks: slot.weeks ?? weeksSpanned(start, end, calendar),
    ...(slot.part !== undefined && { part: slot.part }),
    ...(slot.moments && { moments: slot.moments }),
    audience: activity.audience,
  };
}

function weeksSpanned(start: DateTime, end: DateTime, calendar: Calendar): number[] {
  const weeks: number[] = [];
  // An end at midnight belongs to the day before: a window closing at 00:00 Monday does not span that week.
  const last = end.minus({ milliseconds: 1 });
  for (let monday = start.startOf('week'); monday <= last; monday = monday.plus({ weeks: 1 })) if (!calendar.isBreakWeek(monday)) weeks.push(monday.weekNumber);
  return weeks;
}

function utc(dt: DateTime): string {
  return dt.toUTC().toISO({ suppressMilliseconds: true })!;
}
