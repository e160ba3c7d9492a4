// Order rules (schema `order`, `sameSchoolYear`): an occurrence that must come after another is moved to
// the next working day after it where that is allowed; every rule still broken becomes a plain warning.
import { DateTime } from 'luxon';
import { type Calendar, schoolYearOf } from '../calendar/calendar.ts';
import type { Activity, OrderRule } from '../programme/schema.ts';
import { at, hhmm } from './local-time.ts';
import type { Occurrence, PlanWarning } from './types.ts';

/** A series keeps its own pattern (daily prompts, the module's week table): it is checked, not moved. */
const SERIES_RULES = new Set(['workingDays', 'termWeeks']);

/** The other activity's occurrence the i-th occurrence of this one is ordered against. */
function targetOf(rule: OrderRule, others: Occurrence[], i: number): Occurrence | undefined {
  const which = rule.which ?? (rule.after ? 'last' : 'first');
  return which === 'each' ? others[i] : which === 'first' ? others[0] : others.at(-1);
}

/**
 * Moves this activity's occurrences that start before the end of what they must come after, to the first
 * working day (at their usual time) that starts after it. Fixed occurrences stay where someone set them.
 */
export function keepAfter(
  activity: Activity,
  occurrences: Occurrence[],
  placed: ReadonlyMap<string, Occurrence[]>,
  calendar: Calendar,
  fixed: ReadonlySet<string>,
  rebuild: (o: Occurrence, start: DateTime) => Occurrence,
  warn: (w: PlanWarning) => void,
): Occurrence[] {
  const rules = (activity.order ?? []).filter((r) => r.after);
  if (rules.length === 0 || SERIES_RULES.has(activity.timing.type)) return occurrences;
  const local = (instant: string) => DateTime.fromISO(instant, { zone: calendar.zone });
  return occurrences.map((o, i) => {
    let moved = o;
    for (const rule of rules) {
      const target = targetOf(rule, placed.get(rule.after!) ?? [], i);
      if (!target || fixed.has(o.id) || Date.parse(moved.start) >= Date.parse(target.end)) continue;
      const bound = local(target.end);
      const time = hhmm(local(moved.start));
      // An activity timed for a weekday (a Tuesday evening workshop) keeps its weekday: it moves by weeks.
      const t = activity.timing;
      const step = (t.type === 'offset' && t.weekday) || t.type === 'monthly' ? { weeks: 1 } : { days: 1 };
      let day = step.weeks ? local(moved.start).startOf('day') : bound.startOf('day');
      const open = (d: DateTime) => activity.allowNonWorkingDays || calendar.isWorkingDay(d);
      for (let n = 0; n < 400 && (!open(day) || at(day, time) < bound); n++) day = day.plus(step);
      const from = local(moved.start).toISODate()!;
      moved = rebuild(moved, at(day, time));
      warn({ code: 'orderMoved', activityId: activity.id, after: rule.after!, from, to: day.toISODate()!, otherDate: bound.toISODate()! });
    }
    return moved;
  });
}

/** Every order rule still broken once all is placed, and every sameSchoolYear rule, as warnings. */
export function orderWarnings(activities: Activity[], placed: ReadonlyMap<string, Occurrence[]>, calendar: Calendar): PlanWarning[] {
  const local = (instant: string) => DateTime.fromISO(instant, { zone: calendar.zone });
  const day = (instant: string) => local(instant).toISODate()!;
  const warnings: PlanWarning[] = [];
  for (const activity of activities) {
    const own = placed.get(activity.id) ?? [];
    for (const rule of activity.order ?? []) {
      const other = (rule.after ?? rule.before)!;
      own.forEach((o, i) => {
        const target = targetOf(rule, placed.get(other) ?? [], i);
        if (!target) return;
        const broken = rule.after ? Date.parse(o.start) < Date.parse(target.end) : Date.parse(o.end) > Date.parse(target.start);
        if (!broken) return;
        warnings.push({
          code: 'orderBroken',
          activityId: activity.id,
          relation: rule.after ? 'after' : 'before',
          other,
          date: day(o.start),
          otherDate: day(target.start),
          ...(o.part !== undefined && { part: o.part }),
          ...(o.moments && { moments: o.moments }),
          ...(target.part !== undefined && { otherPart: target.part }),
          ...(target.moments && { otherMoments: target.moments }),
        });
      });
    }
    if (activity.sameSchoolYear && own[0]) {
      const first = own[0];
      const year = schoolYearOf(local(first.start));
      const all = [...own, ...activity.sameSchoolYear.flatMap((id) => placed.get(id) ?? [])];
      const stray = all.find((o) => schoolYearOf(local(o.start)) !== year);
      if (stray) warnings.push({ code: 'notSameSchoolYear', activityId: activity.id, other: stray.activityId, date: day(first.start), otherDate: day(stray.start) });
    }
  }
  return warnings;
}
