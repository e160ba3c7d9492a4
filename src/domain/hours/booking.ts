// What an occurrence books when it has ended: every member of its audience, with its planned hours.
import type { Activity, Role } from '../programme/schema.ts';
import type { RoleHolder } from '../roles/audience.ts';
import type { Occurrence } from '../timeline/types.ts';

/** One person's hours for one occurrence, as the ledger keeps them (app/store-ports.ts HoursEntry). */
export interface Booking {
  userId: string;
  occurrenceId: string;
  role: Role;
  hours: number;
}

/** Hours to the hundredth: what a person reads and what sums stay exact enough in. */
export const roundHours = (hours: number) => Math.round(hours * 100) / 100;

/** An activity's planned hours: its own length, as the plan counts them (timeline/hours.ts), not a questionnaire's open window. */
export const plannedHours = (activity: Pick<Activity, 'durationMinutes'>) => roundHours(activity.durationMinutes / 60);

/** Booked once it has ended: a meeting when it is over, a questionnaire when its window closes. */
export const isOver = (occurrence: Pick<Occurrence, 'end'>, now: Date) => Date.parse(occurrence.end) <= now.getTime();

/**
 * Everyone the occurrence was for, each with their role in it (the first of theirs in its audience) and
 * its planned hours. Never only those who answered: that would tell who answered an anonymous questionnaire.
 */
export function bookingsFor(members: readonly RoleHolder[], occurrence: Pick<Occurrence, 'id' | 'audience'>, activity: Pick<Activity, 'durationMinutes'>): Booking[] {
  const hours = plannedHours(activity);
  return members.flatMap((m) => {
    const role = m.roles.find((r) => occurrence.audience.includes(r));
    return role ? [{ userId: m.userId, occurrenceId: occurrence.id, role, hours }] : [];
  });
}
