// "Remind me tomorrow": the reminders people snoozed, sent again when their time comes, once across replicas.
import { answerReminderCard, reminderItems, snoozedKey, toRemind } from '../app/answer-reminders.ts';
import type { Logger, Outbox, ReminderStore, ReplyStore, Run, Snooze } from '../app/ports.ts';
import { activitiesById } from '../domain/programme/activities.ts';
import type { Programme } from '../domain/programme/schema.ts';
import type { Plan } from '../domain/timeline/types.ts';

export interface SnoozeDeps {
  store: ReplyStore & Pick<ReminderStore, 'reminderMutes' | 'snoozes' | 'takeDueSnoozes'>;
  outbox: Outbox;
  logger: Logger;
}

/**
 * Takes the run's snoozes that are due (the store deletes them in the same step, so each goes to one replica and
 * none is left to say whom it was for) and sends the reminder again to each person who still has not answered,
 * has not muted reminders, and while the occurrence is open. A snooze of someone who has answered since simply
 * goes: for an anonymous occurrence it is not deleted at the answer, as a deletion beside the answer would date
 * the answer to the person. Returns how many reminders were queued; the log line has counts only.
 */
export async function fireDueSnoozes(deps: SnoozeDeps, run: Run, programme: Programme, plan: Plan, now: Date): Promise<number> {
  const due = await deps.store.takeDueSnoozes(run.team, now.getTime());
  if (due.length === 0) return 0;
  const activities = activitiesById(programme);
  const occurrences = new Map(plan.occurrences.map((o) => [o.id, o]));
  let queued = 0;
  for (const occurrenceId of new Set(due.map((s) => s.occurrenceId))) {
    const occurrence = occurrences.get(occurrenceId);
    const activity = occurrence && activities.get(occurrence.activityId);
    if (!occurrence || !activity || Date.parse(occurrence.end) <= now.getTime()) continue;
    const snoozed = due.filter((s) => s.occurrenceId === occurrenceId);
    const members = new Set(run.members.map((m) => m.userId));
    const recipients = await toRemind(
      deps.store,
      run,
      activity,
      occurrence,
      snoozed.map((s) => s.userId).filter((u) => members.has(u)),
      false,
    );
    const card = answerReminderCard(run, programme, activity, occurrence);
    // Keyed per day: the reminder already sent to the person under the round's key does not hide this one.
    const items = snoozed.filter((s) => recipients.includes(s.userId)).flatMap((s) => reminderItems(run, snoozedKey(occurrenceId, s.until, run.timeZone), card, [s.userId], activity.anonymous));
    queued += await deps.outbox.enqueue(items, now.getTime());
  }
  deps.logger.info({ tenant: run.team.tenant, team: run.team.team, due: due.length, queued }, 'snoozed reminders fired');
  return queued;
}

/** When the run's next snoozed reminder comes (ms): the earliest still stored, as `fireDueSnoozes` takes them by time. */
export function nextSnoozeDue(snoozes: readonly Snooze[]): number | undefined {
  return snoozes.length === 0 ? undefined : Math.min(...snoozes.map((s) => Date.parse(s.until)));
}
