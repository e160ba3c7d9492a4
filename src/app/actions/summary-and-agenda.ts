import { contentKey } from '../effects.ts';
import { postAgenda } from '../post-agenda.ts';
import { summaryCard } from '../summarise-occurrence.ts';
import type { ActionSpec } from './action.ts';

/** "Show all" on a summary: every written answer, for those asked and the team's leaders. */
export const showAllAnswers: ActionSpec = {
  card: 'summary',
  verbs: ['showAll'],
  permission: 'readAllAnswers',
  async run({ deps, team, activity, occurrence }) {
    const card = await summaryCard(deps, team.run, team.programme, activity, occurrence);
    return { card: 'summary', data: { ...card.data, expanded: true } };
  },
};

/** The leader's agenda card: the agenda with their own questions to the team channel. The same roles as `/sparring agenda`. */
export const postAgendaWithQuestions: ActionSpec = {
  card: 'sparring-agenda',
  verbs: ['postAgenda'],
  permission: 'postToChannel',
  run({ deps, team, occurrence, inputs }) {
    const own = String(inputs['leaderQuestions'] ?? '')
      .split('\n')
      .map((q) => q.trim())
      .filter(Boolean);
    return postAgenda(deps, team, occurrence, `agenda:${occurrence.id}:${contentKey(own)}`, own);
  },
};
