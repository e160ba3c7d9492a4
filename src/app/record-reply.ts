import { DateTime } from 'luxon';
import type { Activity } from '../domain/programme/schema.ts';
import { checkAnswers, type Respondent } from '../domain/replies/reply.ts';
import type { Clock, Logger, RecordOutcome, ReplyStore, TeamRef } from './ports.ts';

/**
 * A person's answer from a card: checked against the activity's questions, refused after the
 * close, stored once however often it arrives. A refused reply changes nothing and is logged
 * without its content (answers are personal data).
 */

export interface Submission {
  team: TeamRef;
  activity: Activity;
  occurrence: { id: string; closesAt?: string };
  respondent: Respondent;
  timeZone: string;
  outcome: unknown;
  values: unknown;
}

export type RecordReplyResult = { status: RecordOutcome; at: string } | { status: 'closed'; closedAt: string } | { status: 'invalid'; problems: string[] };

export async function recordReply(deps: { store: ReplyStore; clock: Clock; logger: Logger }, submission: Submission): Promise<RecordReplyResult> {
  const { team, activity, occurrence, respondent } = submission;
  const now = deps.clock.now();
  // A log line naming the person next to an anonymous occurrence would say who answered, to the second,
  // to anyone who reads the logs: only named replies log who.
  const who = activity.anonymous ? { anonymous: true } : { userId: respondent.userId };
  const context = { tenant: team.tenant, team: team.team, occurrenceId: occurrence.id, ...who };

  if (occurrence.closesAt && now.getTime() >= Date.parse(occurrence.closesAt)) {
    deps.logger.warn({ ...context, closedAt: occurrence.closesAt }, 'reply after the close refused');
    return { status: 'closed', closedAt: occurrence.closesAt };
  }
  const checked = checkAnswers(activity, submission.outcome, submission.values);
  if (!checked.ok) {
    deps.logger.warn({ ...context, problems: checked.problems }, 'malformed reply refused');
    return { status: 'invalid', problems: checked.problems };
  }
  const at = now.toISOString();
  const status = await deps.store.recordReply(team, {
    occurrenceId: occurrence.id,
    respondent,
    answers: checked.answers,
    at,
    anonymous: activity.anonymous,
    day: DateTime.fromJSDate(now, { zone: submission.timeZone }).toISODate() ?? at.slice(0, 10),
  });
  deps.logger.info({ ...context, status }, 'reply recorded');
  return { status, at };
}

/**
 * Which of these people have not answered the occurrence yet, in the order given: whom a reminder goes
 * to. Works for anonymous occurrences too, where the store knows only keyed markers and not who.
 */
export async function notYetAnswered(store: Pick<ReplyStore, 'hasAnswered'>, team: TeamRef, occurrenceId: string, userIds: readonly string[]): Promise<string[]> {
  const answered = await store.hasAnswered(team, occurrenceId, userIds);
  return userIds.filter((userId) => !answered.has(userId));
}
