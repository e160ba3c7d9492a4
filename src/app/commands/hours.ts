import { occurrenceTitle } from '../../domain/programme/activities.ts';
import { roundHours } from '../../domain/hours/booking.ts';
import { personBudget, punchCardUsed, usedBy } from '../../domain/hours/budget.ts';
import { isLead } from '../../domain/roles/audience.ts';
import type { ViewModelInput } from '../../cards/view-models.ts';
import type { AppDeps, AppReply, TeamRun } from '../context.ts';
import type { HoursEntry } from '../store-ports.ts';
import type { CommandSpec } from './command.ts';

/** The bookings the card lists to correct, newest first: a card of every øvebane of a year would be too long to use. */
export const BOOKINGS_SHOWN = 10;

/**
 * `/sparring hours`: the person's own hours against their budget, their latest bookings to correct, and for a
 * leader or facilitator the team's: each person, the total and the punch card.
 */
export const hours: CommandSpec = {
  permission: 'everyone',
  takesArguments: false,
  run: ({ deps, actor, team }) => hoursReply(deps, team, actor.user.userId),
};

export async function hoursReply(deps: Pick<AppDeps, 'store'>, team: TeamRun, userId: string, saved = false): Promise<AppReply> {
  return { card: 'hours', data: hoursCardData(team, await deps.store.hours(team.run.team), userId, saved) };
}

function hoursCardData(team: TeamRun, entries: HoursEntry[], userId: string, saved: boolean): ViewModelInput<'hours'> {
  const { run, programme, plan, activities } = team;
  const locale = run.locale;
  const occurrences = new Map(plan.occurrences.map((o) => [o.id, o]));
  // A booking whose occurrence the plan no longer has (a changed setting) keeps its hours, dated by its booking.
  const when = (e: HoursEntry) => occurrences.get(e.occurrenceId)?.start ?? e.at;
  const titleOf = (e: HoursEntry) => {
    const o = occurrences.get(e.occurrenceId);
    const activity = o && activities.get(o.activityId);
    return activity && o ? occurrenceTitle(activity, o, locale) : e.occurrenceId;
  };
  const mine = entries.filter((e) => e.userId === userId).sort((a, b) => when(b).localeCompare(when(a)));
  const shown = mine.slice(0, BOOKINGS_SHOWN);
  const rest = mine.slice(BOOKINGS_SHOWN);
  const budget = personBudget(programme, team.roles);
  const data: ViewModelInput<'hours'> = {
    programmeTitle: programme.title[locale],
    ref: { programmeId: programme.id, userId },
    used: usedBy(entries, userId),
    ...(budget === undefined ? {} : { budget }),
    bookings: shown.map((e) => ({ id: e.occurrenceId, title: titleOf(e), at: when(e), hours: e.hours, ...(e.correctedAt && e.planned !== undefined ? { planned: e.planned } : {}) })),
    ...(rest.length > 0 ? { earlier: { count: rest.length, hours: roundHours(rest.reduce((sum, e) => sum + e.hours, 0)) } } : {}),
    saved,
  };
  if (!isLead(team.roles)) return data;
  const activityOf = (id: string) => occurrences.get(id)?.activityId;
  const people = run.members.map((m) => {
    const theirs = personBudget(programme, m.roles);
    return { name: m.name ?? m.userId, used: usedBy(entries, m.userId), ...(theirs === undefined ? {} : { budget: theirs }) };
  });
  return {
    ...data,
    team: {
      people,
      total: roundHours(entries.reduce((sum, e) => sum + e.hours, 0)),
      ...(programme.punchCard ? { punchCard: { budget: programme.punchCard.hours, used: punchCardUsed(programme, entries, activityOf) } } : {}),
    },
  };
}
