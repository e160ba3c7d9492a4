import { preVisitMail } from '../../mail/pre-visit-mail.ts';
import { errorReply } from '../context.ts';
import { queueMail } from '../effects.ts';
import { type ActionSpec, answersShown, prefixed, refOf } from './action.ts';

/**
 * Bilag B: the leaders' plan for the guide's visit is kept with the team and queued as a mail to
 * the guide with the visit as a calendar invitation. A second submit queues no second mail. Where
 * no mail can leave (no mail server, or no address for the guide) the plan is kept and the card says
 * so; the form said it before they wrote it.
 */
export const sendPreVisitPlan: ActionSpec = {
  card: 'pre-visit-form',
  verbs: ['sendToGuide'],
  permission: 'answer',
  async run({ deps, actor, team, occurrence, activity, inputs }) {
    const { run, plan } = team;
    const target = activity.timing.type === 'before' ? activity.timing.activity : undefined;
    const visit = plan.occurrences.find((o) => o.activityId === target && Date.parse(o.start) > Date.parse(occurrence.start));
    const guide = run.members.find((m) => m.roles.includes('guide'));
    if (!visit || !guide) return errorReply('notFound');
    const fields = prefixed(inputs, 'field:');
    const now = deps.clock.now();
    await deps.store.saveDocument(actor.team, { kind: 'preVisitPlan', occurrenceId: occurrence.id, authorId: actor.user.userId, fields, status: 'saved', at: now.toISOString() });
    const answers = answersShown(activity, fields, run.locale);
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
      visit,
      answers,
      uid: `${actor.team.tenant}/${actor.team.team}/${visit.id}@sparringsbot`,
      sentAt: now,
    });
    await queueMail(deps, actor.team, `pre-visit:${occurrence.id}`, mail);
    return { card: 'pre-visit-sent', data: { ref, title, guideName: guide.name ?? guide.userId, sentAt: now.toISOString(), answers } };
  },
};
