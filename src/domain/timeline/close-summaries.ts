// Close summaries: what the team answered, posted to its channel when an occurrence closes. Pure.
import { DateTime } from 'luxon';
import { type Calendar, nextWorkingDay } from '../calendar/calendar.ts';
import { activitiesById, collectsReplies } from '../programme/activities.ts';
import type { Activity, ActivityKind, Programme } from '../programme/schema.ts';
import { at } from './local-time.ts';
import type { Send } from './sends.ts';
import type { Occurrence } from './types.ts';

export const CLOSE_SUMMARY_SUFFIX = '#summary';

/**
 * The kinds whose answers the team shares: reflection questions and questionnaires. Not the daily øvebane: a
 * summary a day would flood the channel, and the leaders' monthly digest gives its participation. Not the
 * private forms (the Bilag B plan, I DO ART, the handleplan) nor the læringssamtale's notes: they are one
 * person's or the leaders' own, not the team's.
 */
const SHARED_KINDS: ReadonlySet<ActivityKind> = new Set(['reflectionPrompt', 'questionnaire']);

/** The time of day the summary of a prompt without a window goes out: the next working morning. */
const NEXT_MORNING = '08:00';

/**
 * Until when a summary due `at` is still worth posting: to the end of the next working day. What the team
 * answered is as true a day later, so a bot down on the summary's day posts it when it is back the day after
 * (a Friday's on Monday); later than that it would come as news of an old week, so it is skipped.
 */
export function summaryUsefulUntil(calendar: Calendar, at: DateTime): DateTime {
  const day = at.setZone(calendar.zone).startOf('day');
  return nextWorkingDay(calendar, day.plus({ days: 1 }))
    .endOf('day')
    .plus({ milliseconds: 1 });
}

/**
 * The activities whose occurrences get a summary in the channel at their close: a kind the team shares, asked
 * of the staff (a prompt to the leader alone, such as Kolding's redegørelse for the skolechef or Odense's leader
 * reflection before the start, is the leader's own thinking, not the team's), and not already summed up by a
 * `summary` activity of the programme (Odense's questionnaires: no summary twice).
 */
export function closeSummarised(programme: Programme): Set<string> {
  const activities = [...activitiesById(programme).values()];
  const summedUp = new Set(activities.flatMap((a) => (a.kind === 'summary' && a.timing.type === 'after' ? [a.timing.activity] : [])));
  const shared = (a: Activity) => collectsReplies(a.kind) && SHARED_KINDS.has(a.kind) && a.audience.includes('staff');
  return new Set(activities.filter((a) => shared(a) && !summedUp.has(a.id)).map((a) => a.id));
}

/**
 * When answering closes: a window's end (answers after it are refused). A prompt without a window takes answers
 * as long as people come to it, and its `end` is only its planned duration (45 minutes after it went out), so
 * its summary waits for the next working morning: the team has had its day to answer.
 */
export function closeOf(activity: Activity, occurrence: Occurrence, calendar: Calendar): DateTime {
  const end = DateTime.fromISO(occurrence.end, { zone: calendar.zone });
  if (activity.windowDays) return end;
  return at(nextWorkingDay(calendar, end.startOf('day').plus({ days: 1 })), NEXT_MORNING);
}

/** The summary card to the team channel at the close (fan-out.ts sends it to the channel, not to the audience). */
export function closeSummarySend(activity: Activity, occurrence: Occurrence, calendar: Calendar): Send {
  const close = closeOf(activity, occurrence, calendar).toUTC();
  return {
    key: `${occurrence.id}${CLOSE_SUMMARY_SUFFIX}`,
    occurrenceId: occurrence.id,
    kind: 'closeSummary',
    card: 'summary',
    at: close.toISO({ suppressMilliseconds: true })!,
    until: summaryUsefulUntil(calendar, close).toUTC().toISO({ suppressMilliseconds: true })!,
    audience: occurrence.audience,
  };
}
