// Skolverket's module cadences: each part is moments A+B in one school week, then C+D over the next
// school week(s); half the parts in the autumn term, half in the spring term; break weeks are skipped.
import { DateTime, type WeekdayNumbers } from 'luxon';
import { schoolYearOf, type Calendar } from '../calendar/calendar.ts';
import type { OnClosed, SettingsMatch, TimingRule } from '../programme/schema.ts';
import { at, weekdayNumber } from './local-time.ts';
import type { Moment, RuleContext, Slot } from './types.ts';

type TermWeeksRule = Extract<TimingRule, { type: 'termWeeks' }>;

export function matchesSettings(match: SettingsMatch | undefined, settings: Record<string, string>): boolean {
  return Object.entries(match ?? {}).every(([key, value]) => [value].flat().includes(settings[key] ?? ''));
}

interface SchoolWeek {
  monday: DateTime;
  /** The session day: the preferred weekday or, with `onClosed: nextDay`, a later working day of the same week. */
  session: DateTime;
}

export function termWeekSlots(rule: TermWeeksRule, ctx: RuleContext, calendar: Calendar): Slot[] {
  const variant = rule.variants.find((v) => matchesSettings(v.when, ctx.settings));
  if (!variant) {
    ctx.warn({ code: 'noVariant', activityId: ctx.activity.id });
    return [];
  }
  // A run starting on a weekend meets on Mondays: a weekend day would never be a school day.
  const weekday: WeekdayNumbers = rule.weekday ? weekdayNumber(rule.weekday) : ctx.runStart.weekday <= 5 ? (ctx.runStart.weekday as WeekdayNumbers) : 1;
  const weeks = schoolWeeks(calendar, weekday, ctx.activity.allowNonWorkingDays, rule.onClosed ?? 'nextDay');
  const schoolYear = schoolYearOf(ctx.runStart);
  const autumnParts = Math.ceil(variant.parts / 2);

  const slots: Slot[] = [];
  const spring = weekStart(schoolYear + 1, variant.springWeek, calendar);
  // A run that starts in the spring term has no autumn parts to finish: its parts simply follow each other.
  const startsInSpring = ctx.runStart.startOf('week') >= spring;
  let cursor = laterOf(weekStart(schoolYear, variant.autumnWeek, calendar), ctx.runStart.startOf('week'));
  for (let part = 1; part <= variant.parts; part++) {
    if (part === autumnParts + 1 && !startsInSpring) {
      if (cursor > spring) ctx.warn({ code: 'termOverrun', activityId: ctx.activity.id, week: variant.springWeek, part, moments: ['A', 'B'] });
      cursor = laterOf(spring, cursor);
    }
    const ab = weeks.take(cursor, 1);
    const cd = weeks.take(ab.next, variant.cdWeeks);
    if (ab.weeks.length === 0 || cd.weeks.length === 0) {
      ctx.warn({ code: 'noWorkingDay', activityId: ctx.activity.id, from: cursor.toISODate()!, to: cd.next.toISODate()! });
      break;
    }
    cursor = cd.next;
    slots.push(partSlot(ab.weeks, part, ['A', 'B'], rule.time), partSlot(cd.weeks, part, ['C', 'D'], rule.time));
    summerCheck(ctx, part, ab.weeks, cd.weeks, schoolYear);
  }
  return slots;
}

/** A part is one piece of work: one that runs across the summer break, or lies after it, gets a warning. */
function summerCheck(ctx: RuleContext, part: number, ab: SchoolWeek[], cd: SchoolWeek[], schoolYear: number) {
  const date = (w: SchoolWeek) => w.session.toISODate()!;
  const first = ab[0]!;
  const last = cd.at(-1)!;
  const activityId = ctx.activity.id;
  if (schoolYearOf(first.session) > schoolYear) {
    ctx.warn({ code: 'afterSummer', activityId, part, moments: ['A', 'B'], date: date(first) });
    return;
  }
  if (schoolYearOf(last.session) > schoolYear) {
    const before = [first, ...cd].filter((w) => schoolYearOf(w.session) === schoolYear).at(-1)!;
    const after = [...cd].find((w) => schoolYearOf(w.session) > schoolYear)!;
    const moments: Moment[] = schoolYearOf(cd[0]!.session) > schoolYear ? ['A', 'B', 'C', 'D'] : ['C', 'D'];
    ctx.warn({ code: 'acrossSummer', activityId, part, moments, from: date(before), to: date(after) });
  }
}

/** The meeting is in the span's last week: for C+D that is the joint follow-up (D) after teaching (C). */
function partSlot(weeks: SchoolWeek[], part: number, moments: ['A', 'B'] | ['C', 'D'], time: string): Slot {
  return {
    start: at(weeks.at(-1)!.session, time),
    key: `${part}${moments.join('').toLowerCase()}`,
    weeks: weeks.map((w) => w.monday.weekNumber),
    part,
    moments,
  };
}

function weekStart(weekYear: number, weekNumber: number, calendar: Calendar): DateTime {
  return DateTime.fromObject({ weekYear, weekNumber, weekday: 1 }, { zone: calendar.zone });
}

function laterOf(a: DateTime, b: DateTime): DateTime {
  return a > b ? a : b;
}

/** Walks forward over weeks that are school weeks: not a break week, with a working day to meet on. */
function schoolWeeks(calendar: Calendar, weekday: WeekdayNumbers, anyDay: boolean, onClosed: OnClosed) {
  const sessionIn = (monday: DateTime): DateTime | undefined => {
    const preferred = monday.set({ weekday });
    if (anyDay) return calendar.isBreakWeek(monday) ? undefined : preferred;
    // The named weekday, then (nextDay) later days of the same week; never an earlier day. A week with
    // none is not one of the group's weeks: the part moves on to the next week, on the same weekday.
    const days = [0, 1, 2, 3, 4, 5, 6].map((d) => monday.plus({ days: d })).filter((d) => (onClosed === 'nextDay' ? d.weekday >= weekday : d.weekday === weekday));
    return days.find((d) => calendar.isWorkingDay(d));
  };
  return {
    take(from: DateTime, count: number): { weeks: SchoolWeek[]; next: DateTime } {
      const weeks: SchoolWeek[] = [];
      let monday = from.startOf('week');
      for (let guard = 0; weeks.length < count && guard < 104; guard++, monday = monday.plus({ weeks: 1 })) {
        const session = sessionIn(monday);
        if (session) weeks.push({ monday, session });
      }
      return { weeks, next: monday };
    },
  };
}
