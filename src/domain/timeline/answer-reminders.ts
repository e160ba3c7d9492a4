// Reminders of a questionnaire or reflection to those who have not answered, some days before it closes.
// Pure: which sends, when; who gets one is the scheduler's (it asks the store who has answered).
import type { DateTime } from 'luxon';
import type { Activity, Programme } from '../programme/schema.ts';
import { REMINDED_KINDS } from '../programme/vocabulary.ts';
import type { Send } from './sends.ts';
import type { Occurrence } from './types.ts';

/** Reminders 3 and 1 working days before the close, unless the programme or the activity says otherwise. */
export const DEFAULT_DAYS_BEFORE_CLOSE: readonly number[] = [3, 1];
export const ANSWER_REMINDER_SUFFIX = '#nudge-';
export const ANSWER_REMINDER_CARD = 'answer-reminder';

/** The days before the close an activity's occurrences are reminded, most days first; none for a kind that is not reminded, or one with no close. */
export function daysBeforeClose(programme: Pick<Programme, 'reminders'>, activity: Activity): number[] {
  if (!REMINDED_KINDS.has(activity.kind) || !activity.windowDays) return [];
  const days = activity.reminders?.daysBeforeClose ?? programme.reminders?.daysBeforeClose ?? DEFAULT_DAYS_BEFORE_CLOSE;
  return [...new Set(days)].sort((a, b) => b - a);
}

export interface PlannedReminder {
  key: string;
  days: number;
  at: DateTime;
}

/**
 * One reminder per number of days, at `before(days)` (working days back from the close, at the send time: no one
 * is reminded on a Sunday, and 08:00 stays 08:00 across a DST change). Only those after the card went out and
 * before the close, and one a day: two that land on one day (across a break) are one reminder.
 */
export function answerReminders(days: readonly number[], occurrence: Occurrence, cardAt: DateTime, close: DateTime, before: (days: number) => DateTime): PlannedReminder[] {
  const planned: PlannedReminder[] = [];
  for (const n of days) {
    const when = before(n);
    if (when <= cardAt || when >= close || planned.some((p) => p.at.hasSame(when, 'day'))) continue;
    planned.push({ key: `${occurrence.id}${ANSWER_REMINDER_SUFFIX}${n}`, days: n, at: when });
  }
  return planned;
}

/** After downtime two rounds of one occurrence can both be due: only the later one is worth sending. */
export function laterRoundDue(send: Pick<Send, 'kind' | 'occurrenceId' | 'at'>, sends: readonly Send[], now: Date): boolean {
  if (send.kind !== 'answerReminder') return false;
  return sends.some((s) => s.kind === 'answerReminder' && s.occurrenceId === send.occurrenceId && s.at > send.at && Date.parse(s.at) <= now.getTime());
}
