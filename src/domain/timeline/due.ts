import { DateTime } from 'luxon';
import type { Activity } from '../programme/schema.ts';
import type { Occurrence } from './types.ts';

/**
 * Whether an occurrence that should already have been posted is still worth posting, e.g. after
 * the bot was down: a questionnaire while its window is open, anything else on its own day in the
 * team's zone. Yesterday's øvebane is stale; this morning's agenda is not.
 */
export function isStillUseful(occurrence: Occurrence, activity: Pick<Activity, 'windowDays'>, now: Date, timeZone: string): boolean {
  if (activity.windowDays) return now.getTime() < Date.parse(occurrence.end);
  const day = (instant: Date) => DateTime.fromJSDate(instant, { zone: timeZone }).toISODate();
  return day(now) === day(new Date(occurrence.start));
}
