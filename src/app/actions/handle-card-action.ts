import type { ErrorCode } from '../../cards/view-models.ts';
import type { Activity, Role } from '../../domain/programme/schema.ts';
import type { Occurrence } from '../../domain/timeline/types.ts';
import { z } from 'zod';
import { ownCardOut } from '../occurrence-card.ts';
import { type Actor, type AppDeps, type AppReply, answerOrTryAgain, errorReply, isClosed, logContext, occurrenceById, type TeamRun, teamRun } from '../context.ts';
import { may, whoMay } from '../permissions.ts';
import { type ActionSpec, type CardRef, type PersonActionSpec, refOf } from './action.ts';
import { answerReminder } from './answer-reminder.ts';
import { correctHours } from './correct-hours.ts';
import { learningNotes, modulePart, practicePrompt, questions } from './answer-prompt.ts';
import { sendDecisionMinutes } from '../documents/decision-minutes.ts';
import { saveHandleplan } from '../documents/handleplan.ts';
import { decideIdoArtDraft, saveIdoArtDraft } from '../documents/ido-art.ts';
import { sendPreVisitPlan } from './send-pre-visit-plan.ts';
import { postAgendaWithQuestions, showAllAnswers } from './summary-and-agenda.ts';

/**
 * A click on a card (Teams' Action.Execute, a Slack button or modal, the playground's renderer),
 * the same on every platform. Finds the action by card and verb, checks who may click it, and
 * returns the card that replaces the clicked one. A bad payload, a wrong role, a card whose
 * occurrence has not started or has closed is refused, logged, and changes nothing.
 */

export interface CardSubmit {
  verb: string;
  /** The action's `data`: `{ card, ref }` (cards/README.md). */
  data: unknown;
  /** The card's input values by input id. */
  inputs: Record<string, unknown>;
}

const ACTIONS: readonly ActionSpec[] = [
  practicePrompt,
  modulePart,
  ...questions,
  learningNotes,
  saveHandleplan,
  saveIdoArtDraft,
  decideIdoArtDraft,
  sendDecisionMinutes,
  sendPreVisitPlan,
  showAllAnswers,
  postAgendaWithQuestions,
  answerReminder,
];

/** `card/verb` → the action: one entry per button a card can carry. */
export const ACTION_REGISTRY: ReadonlyMap<string, ActionSpec> = new Map(ACTIONS.flatMap((a) => a.verbs.map((verb) => [`${a.card}/${verb}`, a] as const)));

/** `card/verb` → the action of a card that is one person's (its `ref` names them, not an occurrence). */
const PERSON_ACTIONS: ReadonlyMap<string, PersonActionSpec> = new Map([correctHours].flatMap((a) => a.verbs.map((verb) => [`${a.card}/${verb}`, a] as const)));

const personActionData = z.looseObject({ card: z.string(), ref: z.strictObject({ programmeId: z.string(), userId: z.string() }) });

const actionData = z.looseObject({
  card: z.string(),
  ref: z.strictObject({ programmeId: z.string(), activityId: z.string(), occurrenceId: z.string() }),
});

export function handleCardAction(deps: AppDeps, actor: Actor, submit: CardSubmit): Promise<AppReply> {
  return answerOrTryAgain(deps.logger, { tenant: actor.team.tenant, team: actor.team.team, verb: submit.verb }, () => handle(deps, actor, submit));
}

async function handle(deps: AppDeps, actor: Actor, submit: CardSubmit): Promise<AppReply> {
  const context: Record<string, unknown> = { ...logContext(actor), verb: submit.verb };
  const refuse = (reason: string, code: ErrorCode = 'badPayload', who: readonly Role[] = []) => {
    deps.logger.warn({ ...context, reason }, 'card action refused');
    return errorReply(code, [], who);
  };
  const personal = personActionData.safeParse(submit.data);
  if (personal.success) {
    const action = PERSON_ACTIONS.get(`${personal.data.card}/${submit.verb}`);
    if (!action) return refuse(`no action ${personal.data.card}/${submit.verb}`);
    const team = await teamRun(deps, actor);
    if (!team) return refuse('no run', 'notMember');
    if (personal.data.ref.programmeId !== team.programme.id) return refuse('another programme');
    // Someone else's card (shown in a shared channel, forwarded): a leader may read the team's hours, never change them.
    if (personal.data.ref.userId !== actor.user.userId) return refuse("another person's card", 'ownHoursOnly');
    return action.run({ deps, actor, team, inputs: submit.inputs });
  }
  const click = await occurrenceClick(deps, actor, submit);
  if ('refused' in click) {
    // No log line about an anonymous activity names the person.
    if (click.anonymous) context['userId'] = undefined;
    deps.logger.warn({ ...context, reason: click.reason }, 'card action refused');
    return click.refused;
  }
  const { action, team, occurrence, activity, ref } = click;
  return action.run({ deps, actor, team, occurrence, activity, ref, verb: submit.verb, inputs: submit.inputs });
}

/** A click on an occurrence's card the app takes: the action, and the run, occurrence and activity it acts on. */
export interface OccurrenceClick {
  action: ActionSpec;
  team: TeamRun;
  occurrence: Occurrence;
  activity: Activity;
  ref: CardRef;
}

/** A click the app refuses: the card that says why (an error card, the expired card), and the reason to log. */
export interface RefusedClick {
  refused: AppReply;
  reason: string;
  /** About an anonymous activity: the log line must not name the person. */
  anonymous: boolean;
}

/**
 * Whether a click on an occurrence's card is one the app takes, checked before anything is done: data of the
 * card's shape, an action of that card and verb, an occurrence of the team's plan with its own activity, a role
 * that may, a card that is out and, for an answer, not closed. Also asked before a form opens for the click
 * (Slack's modal), so no form shows what its submit would refuse.
 */
export async function occurrenceClick(deps: AppDeps, actor: Actor, submit: CardSubmit): Promise<OccurrenceClick | RefusedClick> {
  const refuse = (reason: string, code: ErrorCode = 'badPayload', who: readonly Role[] = [], anonymous = false): RefusedClick => ({ refused: errorReply(code, [], who), reason, anonymous });
  const parsed = actionData.safeParse(submit.data);
  if (!parsed.success) return refuse('action data does not fit');
  const action = ACTION_REGISTRY.get(`${parsed.data.card}/${submit.verb}`);
  if (!action) return refuse(`no action ${parsed.data.card}/${submit.verb}`);
  const team = await teamRun(deps, actor);
  if (!team) return refuse('no run', 'notMember');
  const { ref } = parsed.data;
  const occurrence = occurrenceById(team, ref.occurrenceId);
  const activity = team.activities.get(ref.activityId);
  if (!occurrence || !activity || occurrence.activityId !== activity.id || ref.programmeId !== team.programme.id) return refuse('unknown occurrence');
  const anonymous = Boolean(activity.anonymous);
  if (!may(action.permission, team.roles, occurrence)) return refuse('not allowed for this role', 'wrongRole', whoMay(action.permission, occurrence), anonymous);
  // A card counts from when it is sent (its lead time, else its occurrence's start) until its close, whatever a forged or early payload says.
  const now = deps.clock.now();
  if (!ownCardOut(team, occurrence, now)) return refuse('occurrence has not started', 'notYet', [], anonymous);
  if (action.permission === 'answer' && isClosed(activity, occurrence, now)) {
    return { refused: { card: 'expired', data: { ref: refOf(team, activity, occurrence), title: activity.title[team.run.locale], closedAt: occurrence.end } }, reason: 'after the close', anonymous };
  }
  return { action, team, occurrence, activity, ref };
}
