import { summariseOccurrence } from '../app/summarise-occurrence.ts';
import type { Random, Run, Store, NewWorkItem } from '../app/ports.ts';
import { cardFor, summaryCardFor, type AnyCard } from '../cards/from-activity.ts';
import type { Activity, Programme } from '../domain/programme/schema.ts';
import type { Occurrence, Plan } from '../domain/timeline/types.ts';
import { activitiesById } from '../plan/localize.ts';

/** The conversation key of the team channel's work items when a run names none. */
export const CHANNEL_RECIPIENT = 'channel';

/** Members whose roles are in the activity's audience: each gets the card in a 1:1 chat. */
export function audienceOf(run: Run, activity: Activity): string[] {
  return run.members.filter((m) => m.roles.some((r) => activity.audience.includes(r))).map((m) => m.userId);
}

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
  deps: { store: Store; random: Random },
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
    const summary = await summariseOccurrence(deps, {
      team: run.team,
      programme,
      activity: sourceActivity,
      occurrenceId: source.id,
      invited: audienceOf(run, sourceActivity).length,
      locale: run.locale,
    });
    const next = plan.occurrences.find((o) => Date.parse(o.start) > Date.parse(occurrence.start) && o.activityId !== occurrence.activityId && activities.get(o.activityId)?.kind === sourceActivity.kind);
    const nextActivity = next && activities.get(next.activityId);
    card = { name: 'summary', data: summaryCardFor(programme, sourceActivity, source.id, summary, run.locale, next && nextActivity ? { title: nextActivity.title[run.locale], startsAt: next.start } : undefined) };
    recipients = [run.channelKey ?? CHANNEL_RECIPIENT];
  } else {
    card = cardFor({ programme, activity, occurrence, locale: run.locale, timeZone: run.timeZone });
    recipients = audienceOf(run, activity);
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
