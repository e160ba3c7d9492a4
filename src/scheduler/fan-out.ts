import { CHANNEL_RECIPIENT } from '../app/effects.ts';
import type { Clock, NewWorkItem, Random, ReplyStore, Run } from '../app/ports.ts';
import { occurrenceCard } from '../app/occurrence-card.ts';
import { summaryCard } from '../app/summarise-occurrence.ts';
import type { AnyCard } from '../cards/from-activity.ts';
import { activitiesById } from '../domain/programme/activities.ts';
import type { Activity, Programme } from '../domain/programme/schema.ts';
import { audienceOf } from '../domain/roles/audience.ts';
import type { Occurrence, Plan } from '../domain/timeline/types.ts';

/** The occurrence a summary sums up: the latest of the activity its timing follows, ended by the summary's start. */
function summarised(plan: Plan, summary: Occurrence, activity: Activity): Occurrence | undefined {
  if (activity.timing.type !== 'after') return undefined;
  const target = activity.timing.activity;
  return plan.occurrences.filter((o) => o.activityId === target && Date.parse(o.end) <= Date.parse(summary.start)).at(-1);
}

/**
 * The work items for one due occurrence: its card for every member of its audience, or, for a
 * summary, the summary card for the team channel. Empty for calendar-only activities (meetings).
 */
export async function workItemsFor(
  deps: { store: ReplyStore; random: Random; clock: Clock; canMail?: boolean },
  run: Run,
  programme: Programme,
  plan: Plan,
  occurrence: Occurrence,
): Promise<NewWorkItem[]> {
  const activities = activitiesById(programme);
  const activity = activities.get(occurrence.activityId);
  if (!activity) return [];
  let card: AnyCard | undefined;
  let recipients: string[];
  if (activity.kind === 'summary') {
    const source = summarised(plan, occurrence, activity);
    const sourceActivity = source && activities.get(source.activityId);
    if (!source || !sourceActivity) return [];
    const next = plan.occurrences.find(
      (o) => Date.parse(o.start) > Date.parse(occurrence.start) && o.activityId !== occurrence.activityId && activities.get(o.activityId)?.kind === sourceActivity.kind,
    );
    const nextActivity = next && activities.get(next.activityId);
    card = await summaryCard(deps, run, programme, sourceActivity, source, next && nextActivity ? { title: nextActivity.title[run.locale], startsAt: next.start } : undefined);
    recipients = [run.channelKey ?? CHANNEL_RECIPIENT];
  } else {
    card = occurrenceCard(run, programme, plan, activity, occurrence, deps.canMail ?? false);
    recipients = audienceOf(run.members, activity);
  }
  if (!card) return [];
  const { name, data, template } = card;
  return recipients.map((recipient) => ({
    team: run.team,
    occurrenceId: occurrence.id,
    recipient,
    card: { name, data, locale: run.locale, timeZone: run.timeZone, ...(template ? { template } : {}) },
  }));
}
