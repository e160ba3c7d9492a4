// A run's own calendar: the programme's default kind of calendar unless the run picks another, the
// Swedish sportlov week, the run's closed days, and dates someone else fixed (parsed here).
import { DateTime } from 'luxon';
import { type Calendar, type Country, createCalendar } from '../calendar/calendar.ts';
import type { Programme } from '../programme/schema.ts';
import type { RunCalendar } from './types.ts';

export interface RunPlace {
  country: Country;
  timezone?: string;
  calendar?: RunCalendar;
  /** A team's own break weeks, replacing the kind's date rules (the CLI's --breaks). */
  breakWeeks?: readonly number[];
}

/** The calendar a run of `programme` plans with. */
export function calendarFor(programme: Pick<Programme, 'calendar'>, run: RunPlace): Calendar {
  return createCalendar({
    country: run.country,
    timezone: run.timezone,
    kind: run.calendar?.kind ?? programme.calendar,
    sportlovWeek: run.calendar?.sportlovWeek,
    closed: run.calendar?.closed,
    breakWeeks: run.breakWeeks,
  });
}

const FIXED = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}))?$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A YYYY-MM-DD that is a real date. */
export function isLocalDate(value: string): boolean {
  return DAY.test(value) && DateTime.fromISO(value).isValid;
}

/** YYYY-MM-DD or YYYY-MM-DDTHH:MM (local time), or undefined when it is neither. */
export function parseFixedDate(value: string): { date: string; time?: string } | undefined {
  const match = FIXED.exec(value);
  if (!match || !DateTime.fromISO(value).isValid) return undefined;
  return match[2] ? { date: match[1]!, time: match[2] } : { date: match[1]! };
}
