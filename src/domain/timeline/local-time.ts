import type { DateTime, WeekdayNumbers } from 'luxon';
import { WEEKDAYS, type Weekday } from '../programme/vocabulary.ts';

/** The local wall-clock time on a day; luxon keeps 14:00 at 14:00 on both sides of a DST change. */
export function at(day: DateTime, time: string): DateTime {
  const [hour, minute] = time.split(':').map(Number);
  return day.startOf('day').set({ hour, minute });
}

export function weekdayNumber(weekday: Weekday): WeekdayNumbers {
  return (WEEKDAYS.indexOf(weekday) + 1) as WeekdayNumbers;
}

export function hhmm(dt: DateTime): string {
  return dt.toFormat('HH:mm');
}
