import { z } from 'zod';
import { recordReply } from '../app/record-reply.ts';
import type { TeamDocument } from '../app/ports.ts';
import { summariseOccurrence } from '../app/summarise-occurrence.ts';
import { cardFor, summaryCardFor } from '../cards/from-activity.ts';
import { catalogue } from '../cards/strings.ts';
import type { Activity } from '../domain/programme/schema.ts';
import type { Occurrence } from '../domain/timeline/types.ts';
import { preVisitMail } from '../mail/pre-visit-mail.ts';
import { audienceOf, CHANNEL_RECIPIENT } from '../scheduler/fan-out.ts';
import { errorReply, occurrenceById, teamRun, type ChatDeps, type ChatReply, type ChatUser, type TeamRun } from './context.ts';

/**
 * A click on a card (Teams' Action.Execute, a Slack button or modal, the playground's renderer),
 * the same on every platform. Returns the card that replaces the clicked one: the answered card,
 * "expired", or an error. A bad payload is refused, logged and stores nothing.
 */

export interface CardSubmit {
  verb: string;
  /** The action's `data`: `{ card, ref }` (cards/README.md). */
  data: unknown;
  /** The card's input values by input id. */
  inputs: Record<string, unknown>;
}

const actionData = z.looseObject({
  card: z.string(),
  ref: z.strictObject({ programmeId: z.string(), activityId: z.string(), occurrenceId: z.string() }),
});

/** Input values with a prefix (`answer:`, `field:`, `section:`), keyed without it. */
function prefixed(inputs: Record<string, unknown>, prefix: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(inputs).flatMap(([key, value]) => (key.startsWith(prefix) && typeof value === 'string' ? [[key.slice(prefix.length), value]] : [])),
  );
}

/** The question texts beside the answers given, for the answered card. */
function answersShown(activity: Activity, values: Record<string, string>, locale: 'da' | 'sv' | 'en') {
  return activity.questions.filter((q) => values[q.id]).map((q) => ({ label: q.text[locale], value: values[q.id]!, ...(q.answer === 'date' ? { kind: 'date' } : {}) }));
}

export async function handleCardAction(deps: ChatDeps, who: ChatUser, submit: CardSubmit): Promise<ChatReply> {
  const context = { tenant: who.team.tenant, team: who.team.team, userId: who.user.userId, verb: submit.verb };
  const bad = (reason: string) => {
    deps.logger.warn({ ...context, reason }, 'card action refused');
    return errorReply('badPayload');
  };
  const parsed = actionData.safeParse(submit.data);
  if (!parsed.success) return bad('action data does not fit');
  const team = await teamRun(deps, who);
  if (!team) return errorReply('notMember');
  const occurrence = occurrenceById(team, parsed.data.ref.occurrenceId);
  const activity = team.activities.get(parsed.data.ref.activityId);
  if (!occurrence || !activity || occurrence.activityId !== activity.id || parsed.data.ref.programmeId !== team.programme.id) return bad('unknown occurrence');
  // A summary is for the team channel: its leaders may act on it as well as those who were asked.
  const leads = parsed.data.card === 'summary' && team.roles.some((r) => r === 'leader' || r === 'facilitator');
  if (!leads && !occurrence.audience.some((r) => team.roles.includes(r))) {
    deps.logger.warn({ ...context, reason: 'not in the audience' }, 'card action refused');
    return errorReply('wrongRole');
  }
  const locale = team.run.locale;
  const ref = parsed.data.ref;
  const title = activity.title[locale];
  const at = deps.clock.now().toISOString();

  const reply = async (outcome: 'done' | 'skipped' | 'answered', values: Record<string, string>, shown = answersShown(activity, values, locale)): Promise<ChatReply> => {
    const result = await recordReply(deps, {
      team: who.team,
      activity,
      occurrence: { id: occurrence.id, ...(activity.windowDays ? { closesAt: occurrence.end } : {}) },
      respondent: who.user,
      timeZone: team.run.timeZone,
      outcome,
      values,
    });
    if (result.status === 'closed') return { card: 'expired', data: { ref, title, closedAt: result.closedAt } };
    if (result.status === 'invalid') return errorReply('badPayload');
    // A duplicate or an anonymous reply already stored is shown as saved: it is.
    return { card: 'answered', data: { ref, title, answeredAt: at, outcome, answers: activity.anonymous ? [] : shown } };
  };

  switch (`${parsed.data.card}/${submit.verb}`) {
    case 'practice-prompt/done': {
      const note = typeof submit.inputs['note'] === 'string' ? submit.inputs['note'] : '';
      const label = String(catalogue(team.run.locale)['practice-prompt']?.['noteLabel']);
      return reply('done', note.trim() ? { note } : {}, note.trim() ? [{ label, value: note }] : []);
    }
    case 'practice-prompt/skip':
      return reply('skipped', {});
    case 'module-part/done':
      return reply('done', {});
    case 'reflection-prompt/answer':
    case 'questionnaire/answer':
    case 'learning-conversation/saveNotes':
      return reply('answered', prefixed(submit.inputs, 'answer:'));
    case 'action-plan/savePlan':
      return saveDocument(deps, who, team, occurrence, activity, 'actionPlan', 'saved', prefixed(submit.inputs, 'field:'));
    case 'ido-art-draft/approve':
    case 'ido-art-draft/saveDraft':
    case 'ido-art-draft/sendBack': {
      const status = submit.verb === 'approve' ? 'approved' : submit.verb === 'sendBack' ? 'sentBack' : 'draft';
      const fields = { ...prefixed(submit.inputs, 'section:'), ...(typeof submit.inputs['comment'] === 'string' && submit.inputs['comment'] ? { comment: submit.inputs['comment'] } : {}) };
      return saveDocument(deps, who, team, occurrence, activity, 'idoArt', status, fields);
    }
    case 'pre-visit-form/sendToGuide':
      return sendToGuide(deps, who, team, occurrence, activity, prefixed(submit.inputs, 'field:'));
    case 'summary/showAll': {
      const summary = await summariseOccurrence(deps, {
        team: who.team,
        programme: team.programme,
        activity,
        occurrenceId: occurrence.id,
        invited: audienceOf(team.run, activity).length,
        locale: team.run.locale,
      });
      return { card: 'summary', data: { ...summaryCardFor(team.programme, activity, occurrence.id, summary, team.run.locale), expanded: true } };
    }
    case 'sparring-agenda/postAgenda':
      return postAgendaWithQuestions(deps, team, occurrence, activity, String(submit.inputs['leaderQuestions'] ?? ''));
    default:
      return bad(`no action ${parsed.data.card}/${submit.verb}`);
  }
}

async function saveDocument(
  deps: ChatDeps,
  who: ChatUser,
  team: TeamRun,
  occurrence: Occurrence,
  activity: Activity,
  kind: TeamDocument['kind'],
  status: TeamDocument['status'],
  fields: Record<string, string>,
): Promise<ChatReply> {
  const at = deps.clock.now().toISOString();
  await deps.store.saveDocument(who.team, { kind, occurrenceId: occurrence.id, authorId: who.user.userId, fields, status, at });
  const outcome = status === 'approved' ? 'approved' : status === 'sentBack' ? 'sentBack' : 'saved';
  const ref = { programmeId: team.programme.id, activityId: activity.id, occurrenceId: occurrence.id };
  return { card: 'answered', data: { ref, title: activity.title[team.run.locale], answeredAt: at, outcome, answers: answersShown(activity, fields, team.run.locale) } };
}

async function postAgendaWithQuestions(deps: ChatDeps, team: TeamRun, occurrence: Occurrence, activity: Activity, leaderQuestions: string): Promise<ChatReply> {
  const card = cardFor({ programme: team.programme, activity, occurrence, locale: team.run.locale, timeZone: team.run.timeZone });
  if (!card || card.name !== 'sparring-agenda') return errorReply('noAgenda');
  const own = leaderQuestions.split('\n').map((q) => q.trim()).filter(Boolean);
  const now = deps.clock.now();
  await deps.outbox.enqueue(
    [
      {
        team: team.run.team,
        occurrenceId: `agenda:${occurrence.id}:${now.toISOString().slice(0, 16)}`,
        recipient: team.run.channelKey ?? CHANNEL_RECIPIENT,
        card: { name: card.name, data: { ...card.data, leaderQuestions: own, posted: true }, locale: team.run.locale, timeZone: team.run.timeZone },
      },
    ],
    now.getTime(),
  );
  const ref = { programmeId: team.programme.id, activityId: activity.id, occurrenceId: occurrence.id };
  return { card: 'answered', data: { ref, title: activity.title[team.run.locale], answeredAt: now.toISOString(), outcome: 'posted' } };
}

/** Bilag B: the leaders' plan goes to the guide as a mail with the visit in it, and is kept with the team. */
async function sendToGuide(deps: ChatDeps, who: ChatUser, team: TeamRun, occurrence: Occurrence, activity: Activity, fields: Record<string, string>): Promise<ChatReply> {
  const locale = team.run.locale;
  const target = activity.timing.type === 'before' ? activity.timing.activity : undefined;
  const visit = team.plan.occurrences.find((o) => o.activityId === target && Date.parse(o.start) > Date.parse(occurrence.start));
  const guide = team.run.members.find((m) => m.roles.includes('guide'));
  if (!visit || !guide) return errorReply('notFound');
  const now = deps.clock.now();
  await deps.store.saveDocument(who.team, { kind: 'preVisitPlan', occurrenceId: occurrence.id, authorId: who.user.userId, fields, status: 'saved', at: now.toISOString() });
  const answers = answersShown(activity, fields, locale);
  await deps.mailer?.send(
    preVisitMail({
      to: guide.email ?? guide.name ?? guide.userId,
      locale,
      timeZone: team.run.timeZone,
      visit,
      answers,
      uid: `${who.team.tenant}/${who.team.team}/${visit.id}@sparringsbot`,
      sentAt: now,
    }),
  );
  const ref = { programmeId: team.programme.id, activityId: activity.id, occurrenceId: occurrence.id };
  return { card: 'pre-visit-sent', data: { ref, title: activity.title[locale], guideName: guide.name ?? guide.userId, sentAt: now.toISOString(), answers } };
}
