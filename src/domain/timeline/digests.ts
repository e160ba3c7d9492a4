// The leaders' monthly digest: when each goes out during a run. Pure: plan + calendar in, sends out.
import { DateTime } from 'luxon';
import type { Calendar } from '../calendar/calendar.ts';
import type { Role } from '../programme/schema.ts';
import { LEAD_ROLES } from '../roles/audience.ts';
import { at } from './local-time.ts';
import type { Plan } from './types.ts';

export const DIGEST_PREFIX = 'digest:';
const DIGEST_TIME = '08:00';
/** A digest read days late still helps a leader; one a week late is old news, and after downtime is skipped. */
const USEFUL_FOR_DAYS = 3;

/**
 * A send of the run, not of an occurrence: the overview of one month, to the leaders, early the month after.
 * `key` (`digest:YYYY-MM`, the month it covers) is the scheduler's claim, so each goes out once.
 */
export interface DigestSend {
  key: string;
  kind: 'digest';
  card: 'digest';
  /** The month covered, YYYY-MM in the team's zone. */
  month: string;
  /** UTC instants, ISO 8601; after `until` it is stale. */
  at: string;
  until: string;
  audience: Role[];
}

/**
 * One digest per month of the run, from the month it starts in to the month its last occurrence ends in, each on
 * the first working day of the month after at 08:00: the first in the run's second month, the last after its
 * last month. A month with no working day (the summer holidays of a school calendar cover all of July in
 * Denmark) takes its first weekday that is no public holiday: the leaders are not on the school's holiday.
 */
export function digestSends(plan: Plan, calendar: Calendar): DigestSend[] {
  const zone = calendar.zone;
  const last = plan.occurrences.reduce<string | undefined>((latest, o) => (latest === undefined || o.end > latest ? o.end : latest), undefined);
  if (last === undefined) return [];
  // An end at midnight belongs to the day before (a window closing at 00:00 on the 1st).
  const lastMonth = DateTime.fromISO(last, { zone }).minus({ milliseconds: 1 }).startOf('month');
  const sends: DigestSend[] = [];
  for (let month = DateTime.fromISO(plan.start, { zone }).startOf('month'); month <= lastMonth; month = month.plus({ months: 1 })) {
    const sendAt = at(firstDayToSend(month.plus({ months: 1 }), calendar), DIGEST_TIME).toUTC();
    const covered = month.toFormat('yyyy-MM');
    sends.push({
      key: `${DIGEST_PREFIX}${covered}`,
      kind: 'digest',
      card: 'digest',
      month: covered,
      at: sendAt.toISO({ suppressMilliseconds: true })!,
      until: sendAt.plus({ days: USEFUL_FOR_DAYS }).toISO({ suppressMilliseconds: true })!,
      audience: [...LEAD_ROLES],
    });
  }
  return sends;
}

function firstDayToSend(month: DateTime, calendar: Calendar): DateTime {
  const days = Array.from({ length: month.daysInMonth! }, (_, i) => month.plus({ days: i }));
  return days.find((d) => calendar.isWorkingDay(d)) ?? days.find((d) => d.weekday <= 5 && !calendar.isPublicHoliday(d)) ?? month;
}
