import type { Activity } from '../programme/schema.ts';
import type { Occurrence, Plan } from './types.ts';

/**
 * The occurrence one prepares (the visit of a Bilag B form, the conversation of an I DO ART draft): the next
 * occurrence of the activity its `before` rule names. Pure.
 */
export function preparedFor(plan: Plan, activity: Activity, occurrence: Occurrence): Occurrence | undefined {
  const target = activity.timing.type === 'before' ? activity.timing.activity : undefined;
  return target ? plan.occurrences.find((o) => o.activityId === target && Date.parse(o.start) > Date.parse(occurrence.start)) : undefined;
}

/** The occurrence one follows up (the meeting of a beslutningsreferat, the prompt of a summary): the latest of the activity its `after` rule names, ended by its start. Pure. */
export function followedUp(plan: Plan, activity: Activity, occurrence: Occurrence): Occurrence | undefined {
  if (activity.timing.type !== 'after') return undefined;
  const target = activity.timing.activity;
  return plan.occurrences.filter((o) => o.activityId === target && Date.parse(o.end) <= Date.parse(occurrence.start)).at(-1);
}
