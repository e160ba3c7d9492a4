import { catalogue } from '../../cards/strings.ts';
import type { AppReply } from '../context.ts';
import { errorReply } from '../context.ts';
import { recordReply } from '../record-reply.ts';
import { type ActionContext, type ActionSpec, answersShown, prefixed, refOf } from './action.ts';

/** Stores a person's answer and returns the card that replaces the prompt: answered, expired, or an error. */
async function answer(
  context: ActionContext,
  outcome: 'done' | 'skipped' | 'answered',
  values: Record<string, string>,
  shown = answersShown(context.activity, values, context.team.run.locale),
): Promise<AppReply> {
  const { deps, actor, team, occurrence, activity } = context;
  const result = await recordReply(deps, {
    team: actor.team,
    activity,
    occurrence: { id: occurrence.id, ...(activity.windowDays ? { closesAt: occurrence.end } : {}) },
    respondent: actor.user,
    timeZone: team.run.timeZone,
    outcome,
    values,
  });
  const ref = refOf(team, activity, occurrence);
  const title = activity.title[team.run.locale];
  if (result.status === 'closed') return { card: 'expired', data: { ref, title, closedAt: result.closedAt } };
  if (result.status === 'invalid') return errorReply('badPayload');
  // Answered: a snoozed reminder is not needed. Not for an anonymous one: a deletion beside the answer would date it
  // to the person; its snooze goes when its time comes (src/scheduler/snoozes.ts).
  if (!activity.anonymous && (result.status === 'created' || result.status === 'updated')) await deps.store.dropSnooze(actor.team, actor.user.userId, occurrence.id);
  // An anonymous answer cannot be changed (nothing links it to the person): say so plainly. A duplicate is shown as saved: it is.
  const said = result.status === 'anonymousAlreadyAnswered' ? 'alreadyAnswered' : outcome;
  return { card: 'answered', data: { ref, title, answeredAt: deps.clock.now().toISOString(), outcome: said, answers: activity.anonymous ? [] : shown } };
}

/** The øvebane: done (with an optional note) or skipped today. */
export const practicePrompt: ActionSpec = {
  card: 'practice-prompt',
  verbs: ['done', 'skip'],
  permission: 'answer',
  run(context) {
    if (context.verb === 'skip') return answer(context, 'skipped', {});
    const note = typeof context.inputs['note'] === 'string' ? context.inputs['note'] : '';
    if (!note.trim()) return answer(context, 'done', {}, []);
    const label = String(catalogue(context.team.run.locale)['practice-prompt']?.['noteLabel']);
    return answer(context, 'done', { note }, [{ label, value: note }]);
  },
};

/** A part of a Skolverket module marked as done. */
export const modulePart: ActionSpec = {
  card: 'module-part',
  verbs: ['done'],
  permission: 'answer',
  run: (context) => answer(context, 'done', {}),
};

/** Reflection questions, a questionnaire (anonymous or not), and the notes of a læringssamtale. */
export const questions: ActionSpec[] = (['reflection-prompt', 'questionnaire'] as const).map((card) => ({
  card,
  verbs: ['answer'],
  permission: 'answer',
  run: (context: ActionContext) => answer(context, 'answered', prefixed(context.inputs, 'answer:')),
}));

export const learningNotes: ActionSpec = {
  card: 'learning-conversation',
  verbs: ['saveNotes'],
  permission: 'answer',
  run: (context) => answer(context, 'answered', prefixed(context.inputs, 'answer:')),
};
