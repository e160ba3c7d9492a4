import { errorReply } from '../context.ts';
import { handleplanQuestions, handleplanView } from '../documents/handleplan.ts';
import type { CommandSpec } from './command.ts';

/**
 * `/sparring handleplan`: the team's handleplan as it stands, what the latest version changed, and every
 * earlier version (who, when, what). Everyone in the team may read it: the læringssamtale is about it.
 * The leaders change it in the handleplan cards they get before and after each læringssamtale.
 */
export const handleplan: CommandSpec = {
  permission: 'everyone',
  takesArguments: false,
  async run({ deps, team }) {
    if (handleplanQuestions(team.programme).length === 0) return errorReply('noHandleplanInProgramme');
    const view = await handleplanView(deps.store, team);
    return view ? { card: 'document', data: view } : errorReply('noHandleplan');
  },
};
