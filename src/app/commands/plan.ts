import { hasStarted } from '../context.ts';
import type { CommandSpec } from './command.ts';

/** `/sparring plan`: the next eight dates of the team's programme. */
export const plan: CommandSpec = {
  permission: 'everyone',
  takesArguments: false,
  run({ deps, team }) {
    const now = deps.clock.now();
    const upcoming = team.plan.occurrences.filter((o) => !hasStarted(now)(o)).slice(0, 8);
    const locale = team.run.locale;
    return {
      card: 'plan',
      data: { programmeTitle: team.programme.title[locale], entries: upcoming.map((o) => ({ at: o.start, title: team.activities.get(o.activityId)!.title[locale] })) },
    };
  },
};
