import type { Activity, Programme } from '../domain/programme/schema.ts';
import type { Answers } from '../domain/replies/reply.ts';
import { shuffleWith, summarise, type Summary } from '../domain/replies/summary.ts';
import type { Random, Store, TeamRef } from './ports.ts';

/** An occurrence's replies as a summary (cards/from-activity.ts turns it into the summary card). */
export async function summariseOccurrence(
  deps: { store: Store; random: Random },
  request: { team: TeamRef; programme: Programme; activity: Activity; occurrenceId: string; invited: number; locale: 'da' | 'sv' | 'en' },
): Promise<Summary> {
  const { store } = deps;
  const { team, activity, occurrenceId } = request;
  // A skipped øvebane is not an answer; it still counts as having replied to the prompt.
  const answers: Answers[] = activity.anonymous
    ? await store.anonymousReplies(team, occurrenceId)
    : (await store.namedReplies(team, occurrenceId)).filter((r) => r.outcome !== 'skipped');
  return summarise({
    activity,
    locale: request.locale,
    invited: request.invited,
    answers,
    anonymous: activity.anonymous,
    threshold: request.programme.anonymityThreshold,
    shuffle: shuffleWith(() => deps.random.next()),
  });
}
