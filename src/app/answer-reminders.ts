// Reminders to answer a questionnaire or reflection: who is still to be reminded, the card, and the work items.
// For an anonymous occurrence nothing durable may say who had not answered by when: its items are forgotten
// once sent (Outbox `forgetWhenSent`), and log lines about it carry counts only.
import { DateTime } from 'luxon';
import type { AnyCard } from '../cards/from-activity.ts';
import { occurrenceTitle } from '../domain/programme/activities.ts';
import type { Activity, Programme } from '../domain/programme/schema.ts';
import { audienceOf } from '../domain/roles/audience.ts';
import { ANSWER_REMINDER_CARD } from '../domain/timeline/answer-reminders.ts';
import { at } from '../domain/timeline/local-time.ts';
import { DEFAULT_SEND_TIME } from '../domain/timeline/sends.ts';
import type { Occurrence } from '../domain/timeline/types.ts';
import type { NewWorkItem, ReminderStore, ReplyStore, Run } from './ports.ts';

export type ReminderState = 'open' | 'snoozed' | 'muted' | 'closesFirst';

/** The reminder card: which questionnaire or reflection, its close, and for an anonymous one that answers stay anonymous. Never a name. */
export function answerReminderCard(run: Pick<Run, 'locale'>, programme: Programme, activity: Activity, occurrence: Occurrence, state: ReminderState = 'open', snoozedUntil?: string): AnyCard {
  const locale = run.locale;
  return {
    name: ANSWER_REMINDER_CARD,
    data: {
      ref: { programmeId: programme.id, activityId: activity.id, occurrenceId: occurrence.id },
      programmeTitle: programme.title[locale],
      title: occurrenceTitle(activity, occurrence, locale),
      kind: activity.kind === 'questionnaire' ? 'questionnaire' : 'reflection',
      anonymous: activity.anonymous,
      closesAt: occurrence.end,
      state,
      ...(snoozedUntil ? { snoozedUntil } : {}),
    },
  };
}

/** Whether a person's mute holds for this run: a mute is for the run of one programme from one start. */
const mutedIn = (run: Pick<Run, 'programmeId' | 'start'>) => (m: { programmeId: string; start: string }) => m.programmeId === run.programmeId && m.start === run.start;

/** Of these people, those who have muted reminders in this run. */
export async function mutedMembers(store: Pick<ReminderStore, 'reminderMutes'>, run: Run): Promise<Set<string>> {
  return new Set((await store.reminderMutes(run.team)).filter(mutedIn(run)).map((m) => m.userId));
}

/**
 * Who a reminder of the occurrence goes to: its audience, less those who have answered (for an anonymous one the
 * store looks for each one's keyed marker), who muted reminders, and, with `skipSnoozed`, who asked to have it
 * again tomorrow (their snooze brings it then).
 */
export async function toRemind(
  store: ReplyStore & Pick<ReminderStore, 'reminderMutes' | 'snoozes'>,
  run: Run,
  activity: Activity,
  occurrence: Occurrence,
  among: readonly string[] = audienceOf(run.members, activity),
  skipSnoozed = true,
): Promise<string[]> {
  if (among.length === 0) return [];
  const answered = await store.hasAnswered(run.team, occurrence.id, among);
  const muted = await mutedMembers(store, run);
  const snoozed = skipSnoozed ? new Set((await store.snoozes(run.team)).filter((s) => s.occurrenceId === occurrence.id).map((s) => s.userId)) : new Set<string>();
  return among.filter((userId) => !answered.has(userId) && !muted.has(userId) && !snoozed.has(userId));
}

/** One item per person; an anonymous occurrence's are forgotten once sent. */
export function reminderItems(run: Run, key: string, card: AnyCard, recipients: readonly string[], anonymous: boolean): NewWorkItem[] {
  return recipients.map((recipient) => ({
    team: run.team,
    occurrenceId: key,
    recipient,
    ...(anonymous ? { forgetWhenSent: true as const } : {}),
    card: { name: card.name, data: card.data, locale: run.locale, timeZone: run.timeZone },
  }));
}

/** "Remind me tomorrow": 08:00 the next day in the team's zone. */
export function tomorrowMorning(now: Date, timeZone: string): string {
  return at(DateTime.fromJSDate(now, { zone: timeZone }).plus({ days: 1 }), DEFAULT_SEND_TIME)
    .toUTC()
    .toISO({ suppressMilliseconds: true })!;
}

/** The outbox key of a snoozed reminder coming again: its own, so a reminder already sent to the person does not hide it. */
export const snoozedKey = (occurrenceId: string, until: string, timeZone: string) => `${occurrenceId}#snoozed-${DateTime.fromISO(until, { zone: timeZone }).toISODate()}`;
