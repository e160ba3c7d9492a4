// Skolverket's module cadences: each part is moments A+B in one school week, then C+D over the next
// school week(s); half the parts in the autumn term, half in the spring term; break weeks are skipped.
import { DateTime, type WeekdayNumbers } from 'luxon';
import { schoolYearOf, type Calendar } from '../calendar/calendar.ts';
import type { SettingsMatch, TimingRule } from '../programme/schema.ts';
import { at, weekdayNumber } from './local-time.ts';
import type { RuleContext, Slot } from './types.ts';

type TermWeeksRule = Extract<TimingRule, { type: 'termWeeks' }>;

export function matchesSettings(match: SettingsMatch | undefined, settings: Record<string, string>): boolean {
  return Object.entries(match ?? {}).every(([key, value]) => [value].flat().includes(settings[key] ?? ''));
}

interface SchoolWeek {
  monday: DateTime;
  /** The session day: the preferred weekday, or the nearest working day of the same week. */
  session: DateTime;
}

export function termWeekSlots(rule: TermWeeksRule, ctx: RuleContext, calendar: Calendar): Slot[] {
  const variant = rule.variants.find((v) => matchesSettings(v.when, ctx.settings));
  if (!variant) {
    ctx.warn({ code: 'noVariant', activityId: ctx.activity.id });
    return [];
  }
  const weekday: WeekdayNumbers = rule.weekday ? weekdayNumber(rule.weekday) : (ctx.runStart.weekday as WeekdayNumbers);
  const weeks = schoolWeeks(calendar, weekday, ctx.activity.allowNonWorkingDays);
  const schoolYear = schoolYearOf(ctx.runStart);
  const autumnParts = Math.ceil(variant.parts / 2);

  const slots: Slot[] = [];
  let cursor = laterOf(weekStart(schoolYear, variant.autumnWeek, calendar), ctx.runStart.startOf('week'));
  for (let part = 1; part <= variant.parts; part++) {
    if (part === autumnParts + 1) {
      const spring = weekStart(schoolYear + 1, variant.springWeek, calendar);
      if (cursor > spring) ctx.warn({ code: 'termOverrun', activityId: ctx.activity.id, week: variant.springWeek });
      cursor = laterOf(spring, cursor);
    }
    const ab = weeks.take(cursor, 1);
    const cd = weeks.take(ab.next, variant.cdWeeks);
    cursor = cd.next;
    slots.push(partSlot(ab.weeks, part, ['A', 'B'], rule.time), partSlot(cd.weeks, part, ['C', 'D'], rule.time));
  }
  return slots;
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
  return DateTime.fromObject({ weekYear, weekNumber, weekday: 1 }, { zone: calendar.timezone });
}

function laterOf(a: DateTime, b: DateTime): DateTime {
  return a > b ? a : b;
}

/** Walks forward over weeks that are school weeks: not a break week, with a working day to meet on. */
function schoolWeeks(calendar: Calendar, weekday: WeekdayNumbers, anyDay: boolean) {
  const sessionIn = (monday: DateTime): DateTime | undefined => {
    const preferred = monday.set({ weekday });
    if (anyDay) return calendar.isBreakWeek(monday) ? undefined : preferred;
    const days = [0, 1, 2, 3, 4, 5, 6].map((d) => monday.plus({ days: d }));
    // Prefer the named weekday, then later days of the same week, then earlier ones.
    const order = [...days.filter((d) => d.weekday >= weekday), ...days.filter((d) => d.weekday < weekday).reverse()];
    return order.find((d) => calendar.isWorkingDay(d));
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
