import { DateTime } from 'luxon';
import type { Activity } from '../../domain/programme/schema.ts';
import { preparedFor } from '../../domain/timeline/prepares.ts';
import type { Occurrence } from '../../domain/timeline/types.ts';
import { preVisitMail } from '../../mail/pre-visit-mail.ts';
import { errorReply } from '../context.ts';
import { leadersToldIfUndelivered, postToMembers, queueMail } from '../effects.ts';
import { type ActionSpec, answersShown, prefixed, refOf } from './action.ts';

/**
 * Bilag B: the leaders' plan for the guide's visit is kept with the team and queued as a mail to the guide
 * with the meeting as a calendar invitation, on the date the leaders wrote (the plan's date is the form's
 * default). The mail holds the form's fields, not the leaders' own notes; the other leaders get a copy in
 * chat; should the mail server refuse it for good, the leaders are told in chat. A second submit queues no
 * second mail. Where no mail can leave (no mail server, or no address for the guide) the plan is kept and
 * the card says so; the form said it before they wrote it.
 */
export const sendPreVisitPlan: ActionSpec = {
  card: 'pre-visit-form',
  verbs: ['sendToGuide'],
  permission: 'answer',
  async run({ deps, actor, team, occurrence, activity, inputs }) {
    const { run, plan } = team;
    const planned = preparedFor(plan, activity, occurrence);
    const guide = run.members.find((m) => m.roles.includes('guide'));
    if (!planned || !guide) return errorReply('notFound');
    const fields = prefixed(inputs, 'field:');
    const meeting = meetingOn(activity, fields, planned, run.timeZone);
    const now = deps.clock.now();
    await deps.store.saveDocument(actor.team, { kind: 'preVisitPlan', occurrenceId: occurrence.id, authorId: actor.user.userId, fields, status: 'saved', at: now.toISOString() });
    const answers = answersShown({ ...activity, questions: activity.questions.filter((q) => !q.private) }, fields, run.locale);
    const ref = refOf(team, activity, occurrence);
    const title = activity.title[run.locale];
    if (!deps.canMail || !guide.email) {
      deps.logger.warn(
        { tenant: actor.team.tenant, team: actor.team.team, occurrenceId: occurrence.id, reason: deps.canMail ? 'guide has no address' : 'no mail server' },
        'pre-visit plan kept, not mailed',
      );
      return { card: 'answered', data: { ref, title, answeredAt: now.toISOString(), outcome: 'saved', answers } };
    }
    const mail = preVisitMail({
      to: guide.email,
      locale: run.locale,
      timeZone: run.timeZone,
      visit: meeting,
      answers,
      uid: `${actor.team.tenant}/${actor.team.team}/${planned.id}@sparringsbot`,
      sentAt: now,
    });
    const told = leadersToldIfUndelivered(run, { title, to: guide.email, mail: 'plan' });
    await queueMail(deps, actor.team, `pre-visit:${occurrence.id}`, mail, told);
    const sent = { ref, title, guideName: guide.name ?? guide.userId, sentAt: now.toISOString(), visitAt: meeting.start, answers };
    const others = told.recipients.filter((id) => id !== actor.user.userId);
    const byName = run.members.find((m) => m.userId === actor.user.userId)?.name ?? actor.user.userId;
    await postToMembers(deps, team, `pre-visit:${occurrence.id}#copy`, others, { name: 'pre-visit-sent', data: { ...sent, byName } });
    return { card: 'pre-visit-sent', data: sent };
  },
};

/** The meeting on the leaders' date (the form's meetingDate question), at its planned time of day and length; the plan's own without one. */
function meetingOn(activity: Activity, fields: Record<string, string>, planned: Occurrence, timeZone: string): { id: string; start: string; end: string } {
  const question = activity.questions.find((q) => q.meetingDate);
  const chosen = question && DateTime.fromISO(fields[question.id] ?? '', { zone: timeZone });
  if (!chosen?.isValid) return planned;
  const at = DateTime.fromISO(planned.start, { zone: timeZone });
  const start = chosen.set({ hour: at.hour, minute: at.minute });
  const length = Date.parse(planned.end) - Date.parse(planned.start);
  return { id: planned.id, start: start.toUTC().toISO()!, end: start.plus({ milliseconds: length }).toUTC().toISO()! };
}
