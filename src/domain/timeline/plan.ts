// The timeline engine: (programme, run settings, calendar) → ordered occurrences. Pure: no clock, no I/O.
import type { DateTime } from 'luxon';
import type { Calendar } from '../calendar/calendar.ts';
import { dependenciesOf, type Activity, type Programme } from '../programme/schema.ts';
import { hoursByRole, punchCardHours } from './hours.ts';
import { slotsFor } from './rules.ts';
import { matchesSettings } from './term-weeks.ts';
import type { Occurrence, Plan, PlanWarning, RunSettings, Slot } from './types.ts';

export function buildPlan(programme: Programme, run: RunSettings, calendar: Calendar): Plan {
  const settings = resolveSettings(programme, run.settings ?? {});
  const runStart = calendar.day(run.start);
  if (!runStart.isValid) throw new RangeError(`invalid start date "${run.start}"`);
  const activities = programme.phases.flatMap((p) => p.activities).filter((a) => matchesSettings(a.when, settings));
  const warnings: PlanWarning[] = [];
  const placed = new Map<string, Occurrence[]>();

  for (const activity of inDependencyOrder(activities)) {
    const slots = slotsFor(activity.timing, { activity, runStart, settings, placed, warn: (w) => warnings.push(w) }, calendar);
    placed.set(
      activity.id,
      slots.map((slot, i) => toOccurrence(activity, slot, i, slots.length, calendar)),
    );
  }

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
