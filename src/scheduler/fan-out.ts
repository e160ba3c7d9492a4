import { type DocumentReader, cardDocuments } from '../app/documents/card-documents.ts';
import { CHANNEL_RECIPIENT } from '../app/effects.ts';
import { answerReminderCard, reminderItems, toRemind } from '../app/answer-reminders.ts';
import type { Clock, NewWorkItem, Random, ReminderStore, ReplyStore, Run } from '../app/ports.ts';
import { planLateItems, sendCard } from '../app/occurrence-card.ts';
import { summaryCard } from '../app/summarise-occurrence.ts';
import type { AnyCard } from '../cards/from-activity.ts';
import { activitiesById } from '../domain/programme/activities.ts';
import type { Activity, Programme } from '../domain/programme/schema.ts';
import { audienceOf } from '../domain/roles/audience.ts';
import { followedUp } from '../domain/timeline/prepares.ts';
import type { Send } from '../domain/timeline/sends.ts';
import type { Occurrence, Plan } from '../domain/timeline/types.ts';

/** The next occurrence of the same kind as the one summed up, after the summary is posted: "Næste: …" on the card. */
function nextOfKind(plan: Plan, activities: Map<string, Activity>, of: Activity, after: string, run: Run): { title: string; startsAt: string } | undefined {
  const next = plan.occurrences.find((o) => Date.parse(o.start) > Date.parse(after) && activities.get(o.activityId)?.kind === of.kind);
  const nextActivity = next && activities.get(next.activityId);
  return next && nextActivity ? { title: nextActivity.title[run.locale], startsAt: next.start } : undefined;
}

/**
 * The work items for one due send of an occurrence: its card for every member of the send's audience,
 * or, for a summary (a summary activity's, or an occurrence's own at its close), the summary card for
 * the team channel. Each item is keyed by the send (the occurrence id for its own card, `<id>#notice`,
 * `<id>#reminder`, `<id>#summary`), so the sends of one occurrence never collide in the outbox. A reminder to answer goes
 * only to those still to answer (src/app/answer-reminders.ts). Without `send`, the occurrence's own card.
 */
export async function workItemsFor(
  deps: {
    store: ReplyStore & DocumentReader & Pick<ReminderStore, 'reminderMutes' | 'snoozes'>;
    random: Random;
    clock: Clock;
    canMail?: boolean;
    calendarUrl?: (run: Run, occurrence: Occurrence) => string | undefined;
  },
  run: Run,
  programme: Programme,
  plan: Plan,
  occurrence: Occurrence,
  send?: Send,
): Promise<NewWorkItem[]> {
  const activities = activitiesById(programme);
  const activity = activities.get(occurrence.activityId);
  if (!activity) return [];
  if (send?.kind === 'answerReminder') {
    const card = answerReminderCard(run, programme, activity, occurrence);
    return reminderItems(run, send.key, card, await toRemind(deps.store, run, activity, occurrence, audienceOf(run.members, { audience: send.audience })), activity.anonymous);
  }
  let card: AnyCard | undefined;
  let recipients: string[];
  if (activity.kind === 'summary' || send?.kind === 'closeSummary') {
    // A summary activity sums up the occurrence its timing follows; a close summary its own occurrence.
    const source = activity.kind === 'summary' ? followedUp(plan, activity, occurrence) : occurrence;
    const sourceActivity = source && activities.get(source.activityId);
    if (!source || !sourceActivity) return [];
    card = await summaryCard(deps, run, programme, sourceActivity, source, nextOfKind(plan, activities, sourceActivity, send ? send.at : occurrence.start, run));
    recipients = [run.channelKey ?? CHANNEL_RECIPIENT];
  } else {
    const calendarUrl = send && send.kind !== 'main' ? deps.calendarUrl?.(run, occurrence) : undefined;
    const main: Send = { key: occurrence.id, occurrenceId: occurrence.id, kind: 'main', card: '', at: occurrence.start, until: occurrence.end, audience: activity.audience };
    const own = (send ?? main).kind === 'main' || send?.kind === 'formReminder';
    const documents = own ? await cardDocuments(deps.store, run, programme, plan, activity, occurrence) : {};
    card = sendCard(run, programme, plan, activity, occurrence, send ?? main, { canMail: deps.canMail ?? false, documents, ...(calendarUrl ? { calendarUrl } : {}) });
    recipients = audienceOf(run.members, { audience: (send ?? main).audience });
  }
  if (!card) return [];
  const { name, data, template } = card;
  if (card.name === 'plan-late' && deps.canMail) return planLateItems(run, send?.key ?? occurrence.id, card.data, recipients);
  return recipients.map((recipient) => ({
    team: run.team,
    occurrenceId: send?.key ?? occurrence.id,
    recipient,
    card: { name, data, locale: run.locale, timeZone: run.timeZone, ...(template ? { template } : {}) },
  }));
}
