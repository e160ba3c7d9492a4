// Working days per country, school break weeks and the team's time zone.
import Holidays from 'date-holidays';
import { DateTime, IANAZone } from 'luxon';

export const COUNTRIES = ['DK', 'SE'] as const;
export type Country = (typeof COUNTRIES)[number];

export const DEFAULT_TIMEZONE = 'Europe/Copenhagen';

/**
 * School break weeks (ISO week numbers) used when a team names none. 53 is listed wherever the Christmas
 * break spans the turn of the year, so years with an ISO week 53 (2026) are covered too.
 * SE: läslov v44, jullov v51 through v1, sportlov v9 (the most common region's week), sommarlov v26-v32.
 * DK: efterårsferie uge 42, juleferie uge 52 through 1, vinterferie uge 7, sommerferie uge 27-31.
 * Summer is included so that year-long programmes do not post into the holidays.
 */
export const DEFAULT_BREAK_WEEKS: Record<Country, readonly number[]> = {
  SE: [44, 51, 52, 53, 1, 9, 26, 27, 28, 29, 30, 31, 32],
  DK: [42, 52, 53, 1, 7, 27, 28, 29, 30, 31],
};

/** date-holidays types that close schools and workplaces; "observance" days (Fastelavn, Mors dag) do not. */
const CLOSED_TYPES = new Set(['public', 'bank']);

export interface CalendarOptions {
  country: Country;
  timezone?: string;
  /** Replaces the country's default break weeks. */
  breakWeeks?: readonly number[];
}

export interface Calendar {
  readonly country: Country;
  readonly timezone: string;
  readonly breakWeeks: ReadonlySet<number>;
  /** Midnight at the start of a local date, in the calendar's zone. */
  day(isoDate: string): DateTime;
  isPublicHoliday(day: DateTime): boolean;
  isBreakWeek(day: DateTime): boolean;
  /** A weekday that is neither a public holiday nor in a break week. */
  isWorkingDay(day: DateTime): boolean;
}

export function isValidTimezone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

export function createCalendar(options: CalendarOptions): Calendar {
  const timezone = options.timezone ?? DEFAULT_TIMEZONE;
  if (!isValidTimezone(timezone)) throw new RangeError(`unknown time zone "${timezone}"`);
  const breakWeeks = new Set(options.breakWeeks ?? DEFAULT_BREAK_WEEKS[options.country]);
  const holidays = new Holidays(options.country);
  const closedByYear = new Map<number, Set<string>>();
  const closedDates = (year: number) => {
    let dates = closedByYear.get(year);
    if (!dates) {
      dates = new Set(
        holidays
          .getHolidays(year)
          .filter((h) => CLOSED_TYPES.has(h.type))
          .map((h) => h.date.slice(0, 10)),
      );
      closedByYear.set(year, dates);
    }
    return dates;
  };
  const isPublicHoliday = (day: DateTime) => closedDates(day.year).has(day.toISODate()!);
  const isBreakWeek = (day: DateTime) => breakWeeks.has(day.weekNumber);
  return {
    country: options.country,
    timezone,
    breakWeeks,
    day: (isoDate) => DateTime.fromISO(isoDate, { zone: timezone }).startOf('day'),
    isPublicHoliday,
    isBreakWeek,
    isWorkingDay: (day) => day.weekday <= 5 && !isPublicHoliday(day) && !isBreakWeek(day),
  };
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
