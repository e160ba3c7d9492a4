import type { AnyCard } from '../../cards/from-activity.ts';
import { answerReminderCard, tomorrowMorning } from '../answer-reminders.ts';
import type { AppReply } from '../context.ts';
import { errorReply } from '../context.ts';
import { occurrenceCard } from '../occurrence-card.ts';
import type { ActionContext, ActionSpec } from './action.ts';
import { refOf } from './action.ts';

/**
 * The buttons of a reminder to answer: "Svar nu" shows the questionnaire or reflection itself in its place (so the
 * person answers right there), "Påmind mig i morgen" brings the reminder again tomorrow at 08:00, "Ingen
 * påmindelser i dette forløb" mutes them for this run. For an anonymous occurrence nothing is logged of who.
 */
export const answerReminder: ActionSpec = {
  card: 'answer-reminder',
  verbs: ['open', 'snooze', 'mute'],
  permission: 'answer',
  run(context) {
    if (context.verb === 'snooze') return snooze(context);
    if (context.verb === 'mute') return mute(context);
    return open(context);
  },
};

async function open({ deps, actor, team, occurrence, activity }: ActionContext): Promise<AppReply> {
  // An anonymous answer cannot be changed: say so rather than show a form that would refuse it.
  if (activity.anonymous && (await deps.store.hasAnswered(actor.team, occurrence.id, [actor.user.userId])).has(actor.user.userId)) {
    const data = { ref: refOf(team, activity, occurrence), title: activity.title[team.run.locale], answeredAt: deps.clock.now().toISOString(), outcome: 'alreadyAnswered' as const };
    return { card: 'answered', data };
  }
  const card = occurrenceCard(team.run, team.programme, team.plan, activity, occurrence, deps.canMail);
  return card ? { card: card.name, data: card.data } : errorReply('notFound');
}

async function snooze({ deps, actor, team, occurrence, activity }: ActionContext): Promise<AppReply> {
  const until = tomorrowMorning(deps.clock.now(), team.run.timeZone);
  const card = (state: 'snoozed' | 'closesFirst') => answerReminderCard(team.run, team.programme, activity, occurrence, state, state === 'snoozed' ? until : undefined);
  if (Date.parse(until) >= Date.parse(occurrence.end)) return reply(card('closesFirst'));
  await deps.store.snoozeReminder(actor.team, { userId: actor.user.userId, occurrenceId: occurrence.id, until });
  deps.logger.info({ tenant: actor.team.tenant, team: actor.team.team, occurrenceId: occurrence.id, ...(activity.anonymous ? {} : { userId: actor.user.userId }), until }, 'reminder snoozed');
  return reply(card('snoozed'));
}

async function mute({ deps, actor, team, occurrence, activity }: ActionContext): Promise<AppReply> {
  const { run } = team;
  await deps.store.muteReminders(actor.team, { userId: actor.user.userId, programmeId: run.programmeId, start: run.start });
  // Muted from an anonymous one's reminder, a log line naming the person would say they had not answered by then.
  deps.logger.info({ tenant: actor.team.tenant, team: actor.team.team, ...(activity.anonymous ? {} : { userId: actor.user.userId, occurrenceId: occurrence.id }) }, 'reminders muted');
  return reply(answerReminderCard(run, team.programme, activity, occurrence, 'muted'));
}

const reply = (card: AnyCard): AppReply => ({ card: card.name, data: card.data });
