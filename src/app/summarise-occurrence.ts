import { summaryCardFor } from '../cards/from-activity.ts';
import type { Activity, Programme } from '../domain/programme/schema.ts';
import type { Answers } from '../domain/replies/reply.ts';
import { shuffleWith, summarise, type Summary } from '../domain/replies/summary.ts';
import { audienceOf } from '../domain/roles/audience.ts';
import type { Clock, Random, ReplyStore, Run, TeamRef } from './ports.ts';

type SummaryDeps = { store: ReplyStore; random: Random; clock: Clock };

/**
 * An occurrence's replies as a summary (cards/from-activity.ts turns it into the summary card).
 * `closesAt` is the occurrence's end: an anonymous occurrence read before it gives participation only.
 */
export async function summariseOccurrence(
  deps: SummaryDeps,
  request: { team: TeamRef; programme: Programme; activity: Activity; occurrenceId: string; closesAt: string; invited: number; locale: 'da' | 'sv' | 'en' },
): Promise<Summary> {
  const { store } = deps;
  const { team, activity, occurrenceId } = request;
  // A skipped øvebane is not an answer; it still counts as having replied to the prompt.
  const answers: Answers[] = activity.anonymous ? await store.anonymousReplies(team, occurrenceId) : (await store.namedReplies(team, occurrenceId)).filter((r) => r.outcome !== 'skipped');
  return summarise({
    activity,
    locale: request.locale,
    invited: request.invited,
    answers,
    anonymous: activity.anonymous,
    threshold: request.programme.anonymityThreshold,
    closesAt: request.closesAt,
    now: deps.clock.now(),
    shuffle: shuffleWith(() => deps.random.next()),
  });
}

/**
 * The summary card of an occurrence for a run: what the channel gets when a summary is due, when a
 * leader asks for one, and when someone opens every answer. Everyone in the activity's audience
 * counts as invited. `occurrence` is the occurrence summed up (its `end` is its close).
 */
export async function summaryCard(deps: SummaryDeps, run: Run, programme: Programme, activity: Activity, occurrence: { id: string; end: string }, next?: { title: string; startsAt: string }) {
  const summary = await summariseOccurrence(deps, {
    team: run.team,
    programme,
    activity,
    occurrenceId: occurrence.id,
    closesAt: occurrence.end,
    invited: audienceOf(run.members, activity).length,
    locale: run.locale,
  });
  return { name: 'summary' as const, data: summaryCardFor(programme, activity, occurrence.id, summary, run.locale, next) };
}
