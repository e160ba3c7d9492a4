import type { Activity, Programme } from '../programme/schema.ts';
import { ROLES, type Role } from '../programme/vocabulary.ts';
import type { Occurrence } from './types.ts';

/** Planned hours per role: every occurrence a role takes part in, plus the programme's preparation hours. */
export function hoursByRole(programme: Programme, activities: Activity[], occurrences: Occurrence[]): Partial<Record<Role, number>> {
  const hoursOf = durationHours(activities);
  const hours: Partial<Record<Role, number>> = {};
  for (const o of occurrences) for (const role of o.audience) hours[role] = (hours[role] ?? 0) + hoursOf(o);
  for (const [role, extra] of Object.entries(programme.preparationHours) as [Role, number][]) hours[role] = (hours[role] ?? 0) + extra;
  // Roles in one fixed order, to the hundredth of an hour.
  return Object.fromEntries(ROLES.filter((r) => hours[r] !== undefined).map((r) => [r, Math.round(hours[r]! * 100) / 100])) as Partial<Record<Role, number>>;
}

export function punchCardHours(activityIds: string[], activities: Activity[], occurrences: Occurrence[]): number {
  const hoursOf = durationHours(activities);
  const ids = new Set(activityIds);
  return occurrences.filter((o) => ids.has(o.activityId)).reduce((sum, o) => sum + hoursOf(o), 0);
}

/** An occurrence's own length in hours: its activity's duration, not a questionnaire's open window. */
function durationHours(activities: Activity[]): (o: Occurrence) => number {
  const minutes = new Map(activities.map((a) => [a.id, a.durationMinutes]));
  return (o) => minutes.get(o.activityId)! / 60;
}
