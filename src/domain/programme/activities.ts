import type { Activity, Locale, Programme } from './schema.ts';
import type { Occurrence } from '../timeline/types.ts';

/** Every activity of a programme by its id: the plan, the cards and the use cases look activities up by id. */
export function activitiesById(programme: Programme): Map<string, Activity> {
  return new Map(programme.phases.flatMap((p) => p.activities).map((a) => [a.id, a]));
}

/** The kinds of activity people answer: status counts who has, and a summary can be asked for. */
const KINDS_WITH_REPLIES: ReadonlySet<Activity['kind']> = new Set(['reflectionPrompt', 'questionnaire', 'practicePrompt', 'learningConversation']);

export const collectsReplies = (kind: Activity['kind']) => KINDS_WITH_REPLIES.has(kind);

/** An occurrence's title: module parts fill in `{part}` and `{moments}` ("Del 1, moment A, B"). */
export function occurrenceTitle(activity: Activity, occurrence: Pick<Occurrence, 'part' | 'moments'>, locale: Locale): string {
  return activity.title[locale].replaceAll('{part}', String(occurrence.part ?? '')).replaceAll('{moments}', (occurrence.moments ?? []).join(', '));
}
