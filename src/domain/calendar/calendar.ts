// Working days per country: public holidays (date-holidays), the calendar's breaks (school or workplace, as
// date rules per school year in breaks.ts), a run's own closed days, and the team's time zone.
import { DateTime, IANAZone, type Zone } from 'luxon';
import { holidayYear } from './holidays.ts';
import { zoneNamed } from './zone.ts';
import { type BreakContext, type BreakKind, breakDaysOf, breakKindOfWeek, type CalendarKind, DEFAULT_SPORTLOV_WEEK, EXTRA_CLOSED } from './breaks.ts';

export { type BreakKind, CALENDAR_KINDS, type CalendarKind, DEFAULT_SPORTLOV_WEEK, SPORTLOV_WEEKS } from './breaks.ts';

export const COUNTRIES = ['DK', 'SE'] as const;
export type Country = (typeof COUNTRIES)[number];

export const DEFAULT_TIMEZONE = 'Europe/Copenhagen';
const COUNTRY_TIMEZONE: Record<Country, string> = { DK: 'Europe/Copenhagen', SE: 'Europe/Stockholm' };

/** The zone a team in `country` most likely uses, when it names none. */
export function defaultTimezone(country: Country | undefined): string {
  return country ? COUNTRY_TIMEZONE[country] : DEFAULT_TIMEZONE;
}

export interface CalendarOptions {
  country: Country;
  /** Default: the country's zone. */
  timezone?: string;
  /** Default `school`. */
  kind?: CalendarKind;
  /** Swedish sportlov week, 7–10; default 9. */
  sportlovWeek?: number;
  /** The run's own closed days, YYYY-MM-DD. */
  closed?: readonly string[];
  /** A team's own break weeks (ISO week numbers, every year): replaces the kind's date rules. */
  breakWeeks?: readonly number[];
}

export interface Calendar {
  readonly country: Country;
  readonly timezone: string;
  /** The zone to create dates in: `timezone`, with its offsets remembered (zone.ts). */
  readonly zone: Zone;
  readonly kind: CalendarKind;
  /** What it was built from, so a run can add its own closed days (withClosedDays). */
  readonly options: CalendarOptions;
  /** Midnight at the start of a local date, in the calendar's zone. */
  day(isoDate: string): DateTime;
  isPublicHoliday(day: DateTime): boolean;
  /** The break a day falls in, if any. */
  breakOn(day: DateTime): BreakKind | undefined;
  /** A day the run itself closed (`closed`), or a day closed by custom though not a public holiday (Grundlovsdag). */
  isClosedDay(day: DateTime): boolean;
  /** A week (the ISO week of `day`) without a single working day: a break that does not use up a "for N weeks". */
  isBreakWeek(day: DateTime): boolean;
  /** A weekday that is not a public holiday, a break day or a closed day. */
  isWorkingDay(day: DateTime): boolean;
}

export function isValidTimezone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

export function createCalendar(options: CalendarOptions): Calendar {
  const { country } = options;
  const timezone = options.timezone ?? defaultTimezone(country);
  if (!isValidTimezone(timezone)) throw new RangeError(`unknown time zone "${timezone}"`);
  const zone = zoneNamed(timezone);
  const kind = options.kind ?? 'school';
  const closedByYear = new Map<number, Set<string>>();
  const closedDates = (year: number) => {
    let dates = closedByYear.get(year);
    if (!dates) {
      dates = new Set(holidayYear(country, year).closed);
      closedByYear.set(year, dates);
    }
    return dates;
  };
  const isPublicHoliday = (day: DateTime) => closedDates(day.year).has(day.toISODate()!);

  const own = new Set(options.closed ?? []);
  const isClosedDay = (day: DateTime) => own.has(day.toISODate()!) || EXTRA_CLOSED[country].some((d) => d.month === day.month && d.day === day.day);

  const context: BreakContext = {
    date: (year, month, day) => DateTime.fromObject({ year, month, day }, { zone }),
    week: (weekYear, weekNumber) => DateTime.fromObject({ weekYear, weekNumber, weekday: 1 }, { zone }),
    easter: (year) => DateTime.fromISO(holidayYear(country, year).easter, { zone }),
    sportlovWeek: options.sportlovWeek ?? DEFAULT_SPORTLOV_WEEK,
  };
  const breaksByYear = new Map<number, Map<string, BreakKind>>();
  const breaksOf = (schoolYear: number) => {
    let days = breaksByYear.get(schoolYear);
    if (!days) {
      days = breakDaysOf(country, kind, schoolYear, context);
      breaksByYear.set(schoolYear, days);
    }
    return days;
  };
  const weeks = options.breakWeeks ? new Set(options.breakWeeks) : undefined;
  const breakOn = (day: DateTime): BreakKind | undefined => {
    if (weeks) return weeks.has(day.weekNumber) ? breakKindOfWeek(day.weekNumber) : undefined;
    // A summer break belongs to the school year before: look in both.
    const iso = day.toISODate()!;
    const y = schoolYearOf(day);
    return breaksOf(y).get(iso) ?? breaksOf(y - 1).get(iso);
  };

  // Remembered by the date's own fields, which luxon keeps at hand: planning a run asks about the same days again
  // and again, and each answer took several ISO dates.
  const workingDays = new Map<number, boolean>();
  const isWorkingDay = (day: DateTime) => {
    const key = day.year * 10_000 + day.month * 100 + day.day;
    let open = workingDays.get(key);
    if (open === undefined) {
      open = day.weekday <= 5 && !isPublicHoliday(day) && breakOn(day) === undefined && !isClosedDay(day);
      workingDays.set(key, open);
    }
    return open;
  };
  const breakWeeks = new Map<number, boolean>();
  const isBreakWeek = (day: DateTime) => {
    const key = day.weekYear * 100 + day.weekNumber;
    let found = breakWeeks.get(key);
    if (found === undefined) {
      const monday = day.startOf('week');
      found = [0, 1, 2, 3, 4].every((d) => !isWorkingDay(monday.plus({ days: d })));
      breakWeeks.set(key, found);
    }
    return found;
  };
  return {
    country,
    timezone,
    zone,
    kind,
    options,
    day: (isoDate) => DateTime.fromISO(isoDate, { zone }).startOf('day'),
    isPublicHoliday,
    breakOn,
    isClosedDay,
    isBreakWeek,
    isWorkingDay,
  };
}

/** The calendar with more closed days (YYYY-MM-DD), e.g. a run's own. */
export function withClosedDays(calendar: Calendar, closed: readonly string[] | undefined): Calendar {
  const known = new Set(calendar.options.closed ?? []);
  if (!closed || closed.every((d) => known.has(d))) return calendar;
  return createCalendar({ ...calendar.options, closed: [...(calendar.options.closed ?? []), ...closed] });
}

/** The kind of break a break week is, or undefined for a week with a working day. */
export function breakWeekKind(calendar: Calendar, day: DateTime): BreakKind | undefined {
  if (!calendar.isBreakWeek(day)) return undefined;
  const monday = day.startOf('week');
  for (let d = 0; d < 5; d++) {
    const kind = calendar.breakOn(monday.plus({ days: d }));
    if (kind) return kind;
  }
  return 'other';
}

/** The first working day on or after `day`. */
export function nextWorkingDay(calendar: Calendar, day: DateTime): DateTime {
  return stepToWorkingDay(calendar, day, 1);
}

/** The last working day on or before `day`. */
export function previousWorkingDay(calendar: Calendar, day: DateTime): DateTime {
  return stepToWorkingDay(calendar, day, -1);
}

function stepToWorkingDay(calendar: Calendar, day: DateTime, step: 1 | -1): DateTime {
  let d = day.startOf('day');
  // A break can be several weeks long; a year without a single working day means a broken calendar.
  for (let i = 0; i < 366; i++, d = d.plus({ days: step })) if (calendar.isWorkingDay(d)) return d;
  throw new RangeError(`no working day within a year of ${day.toISODate()}`);
}

/** The year a school year starts in; school years run July to June, so a run planned in July counts as the coming year. */
export function schoolYearOf(day: DateTime): number {
  return day.month >= 7 ? day.year : day.year - 1;
}
