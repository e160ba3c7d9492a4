import { collectsReplies } from '../../domain/programme/activities.ts';
import { errorReply, hasStarted, occurrenceById, postedReply } from '../context.ts';
import { postToChannel } from '../effects.ts';
import { summaryCard } from '../summarise-occurrence.ts';
import type { CommandSpec } from './command.ts';

/** `/sparring summary <activity>`: the summary so far, to the team channel. */
export const summary: CommandSpec = {
  permission: 'postToChannel',
  takesArguments: true,
  async run({ deps, team, args, refuse }) {
    const now = deps.clock.now();
    const eligible = team.plan.occurrences.filter((o) => hasStarted(now)(o) && collectsReplies(o.kind));
    // The choices offered: the latest questionnaires and reflections, and only the latest of the daily prompts.
    const daily = eligible.filter((o) => o.kind === 'practicePrompt').slice(-1);
    const choices = [...eligible.filter((o) => o.kind !== 'practicePrompt').slice(-4), ...daily].map((o) => o.id);
    const occurrence = args.length === 1 ? occurrenceById(team, args[0]!) : undefined;
    if (!occurrence || !eligible.includes(occurrence)) return refuse('bad occurrence', errorReply('badArgument', choices));
    const activity = team.activities.get(occurrence.activityId)!;
    const card = await summaryCard(deps, team.run, team.programme, activity, occurrence);
    // Keyed by what it says: asking again (or a platform resending the command) posts nothing new until more have answered.
    await postToChannel(deps, team, `summary:${occurrence.id}:${card.data.answered}`, card);
    return postedReply(deps, team, activity, occurrence.id);
  },
};
