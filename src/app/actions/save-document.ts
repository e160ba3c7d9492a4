import type { TeamDocument } from '../ports.ts';
import type { AppReply } from '../context.ts';
import { type ActionContext, type ActionSpec, answersShown, prefixed, refOf } from './action.ts';

/** Keeps a document the team works on (I DO ART, handleplan) with its author, and confirms what was kept. */
async function save(context: ActionContext, kind: TeamDocument['kind'], status: TeamDocument['status'], fields: Record<string, string>): Promise<AppReply> {
  const { deps, actor, team, occurrence, activity } = context;
  const at = deps.clock.now().toISOString();
  await deps.store.saveDocument(actor.team, { kind, occurrenceId: occurrence.id, authorId: actor.user.userId, fields, status, at });
  const outcome = status === 'approved' ? 'approved' : status === 'sentBack' ? 'sentBack' : 'saved';
  const data = { ref: refOf(team, activity, occurrence), title: activity.title[team.run.locale], answeredAt: at, outcome, answers: answersShown(activity, fields, team.run.locale) };
  return { card: 'answered', data };
}

/** The handleplan: ståsted, mål, tiltag og tegn, evaluering. */
export const actionPlan: ActionSpec = {
  card: 'action-plan',
  verbs: ['savePlan'],
  permission: 'answer',
  run: (context) => save(context, 'actionPlan', 'saved', prefixed(context.inputs, 'field:')),
};

const STATUS_BY_VERB: Record<string, TeamDocument['status']> = { approve: 'approved', sendBack: 'sentBack', saveDraft: 'draft' };

/** The consultant's I DO ART draft: saved, approved, or marked to go back to the school with a comment. */
export const idoArtDraft: ActionSpec = {
  card: 'ido-art-draft',
  verbs: Object.keys(STATUS_BY_VERB),
  permission: 'answer',
  run(context) {
    const comment = context.inputs['comment'];
    const fields = { ...prefixed(context.inputs, 'section:'), ...(typeof comment === 'string' && comment ? { comment } : {}) };
    return save(context, 'idoArt', STATUS_BY_VERB[context.verb]!, fields);
  },
};
