import { collectsReplies } from '../../domain/programme/activities.ts';
import { audienceOf, isLead } from '../../domain/roles/audience.ts';
import type { Occurrence } from '../../domain/timeline/types.ts';
import { hasStarted, type TeamRun } from '../context.ts';
import { formSent } from '../form-state.ts';
import type { TeamRef } from '../ports.ts';
import type { DocumentStore } from '../store-ports.ts';
import { preparedFor } from '../../domain/timeline/prepares.ts';
import type { CommandSpec } from './command.ts';

/**
 * `/sparring status`: who has answered the latest prompts. Leaders and facilitators see every
 * activity and the team's undelivered messages; everyone else sees their own activities and whether they answered.
 */
export const status: CommandSpec = {
  permission: 'everyone',
  takesArguments: false,
  async run({ deps, actor, team }) {
    const now = deps.clock.now();
    const lead = isLead(team.roles);
    const mine = (o: Occurrence) => lead || o.audience.some((r) => team.roles.includes(r));
    const recent = team.plan.occurrences.filter((o) => hasStarted(now)(o) && collectsReplies(o.kind) && mine(o)).slice(-5);
    const locale = team.run.locale;
    const rows = await Promise.all(
      recent.map(async (o) => {
        const activity = team.activities.get(o.activityId)!;
        const invited = audienceOf(team.run.members, activity);
        // An anonymous occurrence keeps no user ids: ask about these people instead of listing who answered.
        const answered = await deps.store.hasAnswered(actor.team, o.id, [...invited, actor.user.userId]);
        const row = { title: activity.title[locale], answered: invited.filter((userId) => answered.has(userId)).length, invited: invited.length };
        return lead ? row : { ...row, done: answered.has(actor.user.userId) };
      }),
    );
    const next = team.plan.occurrences.find((o) => !hasStarted(now)(o) && mine(o));
    const late = lead || team.roles.includes('guide') ? await lateForms(deps.store, team, actor.team, now) : [];
    const deadLetters = lead ? (await deps.outbox.deadLetters(actor.team, 1000)).length : undefined;
    return {
      card: 'status',
      data: {
        programmeTitle: team.programme.title[locale],
        rows,
        ...(next ? { next: { title: team.activities.get(next.activityId)!.title[locale], at: next.start } } : {}),
        ...(deadLetters === undefined ? {} : { deadLetters }),
        late,
      },
    };
  },
};

/** Forms whose deadline (their occurrence's start) has passed before the meeting they prepare, with nothing sent. */
async function lateForms(store: Pick<DocumentStore, 'getDocument' | 'documentVersions'>, team: TeamRun, ref: TeamRef, now: Date) {
  const late: Array<{ title: string; dueAt: string }> = [];
  for (const o of team.plan.occurrences) {
    const activity = team.activities.get(o.activityId)!;
    const meeting = activity.kind === 'preVisitMail' ? preparedFor(team.plan, activity, o) : undefined;
    if (!meeting || Date.parse(o.start) > now.getTime() || Date.parse(meeting.start) <= now.getTime()) continue;
    if (!(await formSent(store, ref, activity, o.id))) late.push({ title: activity.title[team.run.locale], dueAt: o.start });
  }
  return late;
}
