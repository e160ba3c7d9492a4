// The programme's budget of hours (per person by role, and a team's punch card) against what is booked. Pure.
import type { Activity, Programme, Role } from '../programme/schema.ts';
import type { RoleHolder } from '../roles/audience.ts';
import type { Occurrence } from '../timeline/types.ts';
import { type Booking, isOver, plannedHours, roundHours } from './booking.ts';

type Booked = Pick<Booking, 'userId' | 'occurrenceId' | 'hours'>;

/** A person's budget: their roles' budgets added up (someone both participant and facilitator does both jobs); undefined when none of their roles has one. */
export function personBudget(programme: Pick<Programme, 'hoursBudget'>, roles: readonly Role[]): number | undefined {
  const budgets = roles.flatMap((r) => (programme.hoursBudget?.[r] === undefined ? [] : [programme.hoursBudget[r]]));
  return budgets.length === 0 ? undefined : roundHours(budgets.reduce((sum, b) => sum + b, 0));
}

export const hasBudget = (programme: Pick<Programme, 'hoursBudget' | 'punchCard'>) => Object.keys(programme.hoursBudget ?? {}).length > 0 || programme.punchCard !== undefined;

export function usedBy(entries: readonly Booked[], userId: string): number {
  return roundHours(entries.filter((e) => e.userId === userId).reduce((sum, e) => sum + e.hours, 0));
}

/**
 * What the team's punch card has paid for: each session of its activities once, whoever took part, for
 * the longest time anyone booked on it (a consultant who stayed longer is what the card pays).
 */
export function punchCardUsed(programme: Pick<Programme, 'punchCard'>, entries: readonly Booked[], activityOf: (occurrenceId: string) => string | undefined): number {
  const card = programme.punchCard;
  if (!card) return 0;
  const sessions = new Map<string, number>();
  for (const e of entries) {
    const activityId = activityOf(e.occurrenceId);
    if (activityId && card.activities.includes(activityId)) sessions.set(e.occurrenceId, Math.max(sessions.get(e.occurrenceId) ?? 0, e.hours));
  }
  return roundHours([...sessions.values()].reduce((sum, h) => sum + h, 0));
}

/** Whose budget a coming occurrence would take past it, and how far: a person's or the team's punch card. */
export type Overrun = { kind: 'person'; userId: string; budget: number; projected: number; over: number } | { kind: 'punchCard'; budget: number; projected: number; over: number };

export interface TeamHours {
  programme: Pick<Programme, 'hoursBudget' | 'punchCard'>;
  members: readonly RoleHolder[];
  occurrences: readonly Occurrence[];
  activities: ReadonlyMap<string, Activity>;
  entries: readonly Booked[];
}

/**
 * What booking `occurrence` would do to the budgets: the hours booked so far, plus every occurrence still to
 * end by `now` that ends by the time this one does (this one included), at its planned hours. A person of its
 * audience past their budget, or the punch card past its hours when this is one of its sessions, is an overrun.
 * Occurrences over by `now` count as booked: the scheduler books them before it looks ahead.
 */
export function overrunsOf(team: TeamHours, occurrence: Occurrence, now: Date): Overrun[] {
  const until = Date.parse(occurrence.end);
  const coming = team.occurrences.filter((o) => !isOver(o, now) && Date.parse(o.end) <= until);
  const hoursOf = (os: readonly Occurrence[]) => os.reduce((sum, o) => sum + plannedHours(team.activities.get(o.activityId)!), 0);
  const overruns: Overrun[] = [];
  for (const member of team.members) {
    if (!member.roles.some((r) => occurrence.audience.includes(r))) continue;
    const budget = personBudget(team.programme, member.roles);
    if (budget === undefined) continue;
    const projected = roundHours(usedBy(team.entries, member.userId) + hoursOf(coming.filter((o) => o.audience.some((r) => member.roles.includes(r)))));
    if (projected > budget) overruns.push({ kind: 'person', userId: member.userId, budget, projected, over: roundHours(projected - budget) });
  }
  const card = team.programme.punchCard;
  if (card?.activities.includes(occurrence.activityId)) {
    const activityOf = (id: string) => team.occurrences.find((o) => o.id === id)?.activityId;
    const projected = roundHours(punchCardUsed(team.programme, team.entries, activityOf) + hoursOf(coming.filter((o) => card.activities.includes(o.activityId))));
    if (projected > card.hours) overruns.push({ kind: 'punchCard', budget: card.hours, projected, over: roundHours(projected - card.hours) });
  }
  return overruns;
}
