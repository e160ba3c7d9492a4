import { DateTime } from 'luxon';
import { cardFor } from '../cards/from-activity.ts';
import type { Occurrence } from '../domain/timeline/types.ts';
import { type AppDeps, type AppReply, errorReply, hasStarted, postedReply, type TeamRun } from './context.ts';
import { postToChannel } from './effects.ts';

/** This month's sparring meeting in the team's zone, or the next one when this month has none. */
export function thisMonthsMeeting(now: Date, team: TeamRun): Occurrence | undefined {
  const zone = team.run.timeZone;
  const month = DateTime.fromJSDate(now, { zone }).toFormat('yyyy-MM');
  const meetings = team.plan.occurrences.filter((o) => o.kind === 'sparringMeeting');
  return meetings.find((o) => DateTime.fromISO(o.start, { zone }).toFormat('yyyy-MM') === month) ?? meetings.find((o) => !hasStarted(now)(o));
}

/**
 * A sparring meeting's agenda (Bilag A) posted to the team channel, for reading: from `/sparring
 * agenda` and from the leader's agenda card, with the leader's own questions when they wrote some.
 * `key` decides what counts as the same post.
 */
export async function postAgenda(deps: AppDeps, team: TeamRun, meeting: Occurrence, key: string, leaderQuestions: string[] = []): Promise<AppReply> {
  const activity = team.activities.get(meeting.activityId);
  const card = activity && cardFor({ programme: team.programme, activity, occurrence: meeting, locale: team.run.locale, timeZone: team.run.timeZone });
  if (!activity || card?.name !== 'sparring-agenda') return errorReply('noAgenda');
  await postToChannel(deps, team, key, { name: card.name, data: { ...card.data, leaderQuestions, posted: true } });
  return postedReply(deps, team, activity, meeting.id);
}
