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
