import { errorReply } from '../context.ts';
import { postAgenda, thisMonthsMeeting } from '../post-agenda.ts';
import type { CommandSpec } from './command.ts';

/** `/sparring agenda`: this month's agenda to the team channel; asking twice in a month posts it once. */
export const agenda: CommandSpec = {
  permission: 'postToChannel',
  takesArguments: false,
  async run({ deps, team, refuse }) {
    const meeting = thisMonthsMeeting(deps.clock.now(), team);
    if (!meeting) return refuse('no sparring meeting', errorReply('noAgenda'));
    const reply = await postAgenda(deps, team, meeting, `agenda:${meeting.id}`);
    return reply.card === 'error' ? refuse('no agenda card', reply) : reply;
  },
};
