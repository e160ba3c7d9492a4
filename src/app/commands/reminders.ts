import { mutedMembers } from '../answer-reminders.ts';
import { type AppReply, errorReply, type TeamRun } from '../context.ts';
import type { CommandSpec } from './command.ts';

/** `/sparring reminders`: whether the person gets reminders to answer in this run; `on` and `off` change it. */
export const REMINDERS_USAGE = ['/sparring reminders off', '/sparring reminders on'];

const card = (team: TeamRun, muted: boolean, changed: boolean): AppReply => ({
  card: 'reminder-settings',
  data: { programmeTitle: team.programme.title[team.run.locale], muted, changed, usage: REMINDERS_USAGE },
});

export const reminders: CommandSpec = {
  permission: 'everyone',
  takesArguments: true,
  async run({ deps, actor, team, args, refuse }) {
    const { run } = team;
    const [word, ...rest] = args.map((a) => a.toLowerCase());
    if (word === undefined) return card(team, (await mutedMembers(deps.store, run)).has(actor.user.userId), false);
    if (rest.length > 0 || (word !== 'on' && word !== 'off')) return refuse('reminders: not on or off', errorReply('badArgument', REMINDERS_USAGE));
    const context = { tenant: actor.team.tenant, team: actor.team.team, userId: actor.user.userId };
    if (word === 'off') {
      await deps.store.muteReminders(actor.team, { userId: actor.user.userId, programmeId: run.programmeId, start: run.start });
      deps.logger.info(context, 'reminders muted');
      return card(team, true, true);
    }
    await deps.store.unmuteReminders(actor.team, actor.user.userId);
    deps.logger.info(context, 'reminders turned on');
    return card(team, false, true);
  },
};
