import type { Activity, Programme } from './schema.ts';

/** Every activity of a programme by its id: the plan, the cards and the use cases look activities up by id. */
export function activitiesById(programme: Programme): Map<string, Activity> {
  return new Map(programme.phases.flatMap((p) => p.activities).map((a) => [a.id, a]));
}

/** The kinds of activity people answer: status counts who has, and a summary can be asked for. */
const KINDS_WITH_REPLIES: ReadonlySet<Activity['kind']> = new Set(['reflectionPrompt', 'questionnaire', 'practicePrompt', 'learningConversation']);

export const collectsReplies = (kind: Activity['kind']) => KINDS_WITH_REPLIES.has(kind);
