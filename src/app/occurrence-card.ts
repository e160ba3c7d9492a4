import { type AnyCard, cardFor } from '../cards/from-activity.ts';
import type { Activity, Programme } from '../domain/programme/schema.ts';
import type { Occurrence, Plan } from '../domain/timeline/types.ts';
import type { Run } from './ports.ts';

/**
 * The card of an occurrence as the team gets it: with the guide's name, the date it prepares for, and
 * whether a mail can reach the guide. The scheduler sends it; a platform that shows a form apart from its
 * message (Slack's modals) builds it again from here.
 */
export function occurrenceCard(run: Run, programme: Programme, plan: Plan, activity: Activity, occurrence: Occurrence, canMail: boolean): AnyCard | undefined {
  const guide = run.members.find((m) => m.roles.includes('guide'));
  const target = activity.timing.type === 'before' ? activity.timing.activity : undefined;
  const targetStart = target && plan.occurrences.find((o) => o.activityId === target && Date.parse(o.start) > Date.parse(occurrence.start))?.start;
  return cardFor({
    programme,
    activity,
    occurrence,
    locale: run.locale,
    timeZone: run.timeZone,
    mailRoute: Boolean(canMail && guide?.email),
    ...(guide ? { guideName: guide.name ?? guide.userId } : {}),
    ...(targetStart ? { targetStart } : {}),
  });
}
