import type { z } from 'zod';
import {
  actionPlan,
  decisionMinutes,
  idoArtDraft,
  learningConversation,
  mailFailed,
  modulePart,
  planLate,
  practicePrompt,
  preVisitForm,
  preVisitSent,
  questionnaire,
  reflectionPrompt,
  sparringAgenda,
} from './view-models/activities.ts';
import { digest } from './view-models/digest.ts';
import { documentView } from './view-models/document.ts';
import { hoursCard, hoursWarning } from './view-models/hours.ts';
import { answerReminder, reminderSettings } from './view-models/reminders.ts';
import { answered, error, expired, help, summary } from './view-models/replies.ts';
import { calendar, home, notice, plan, planChanged, programmeStarted, reminder, roles, status, task, teamSetup, welcome } from './view-models/team.ts';

export { ERROR_CODES, type ErrorCode } from './view-models/replies.ts';
export { SETUP_PROBLEMS } from './view-models/team.ts';

/**
 * One view model per card: the plain data a card shows, already in the reader's language.
 * The same view model feeds the Adaptive Card (Teams, browser) and the Slack blocks, and these
 * schemas are the cards' data contract (cards/README.md): `sparring card --data` and a
 * programme's own templates are checked against them. The schemas live in view-models/, a file per kind
 * of card; this file names each card.
 */

export const CARD_SCHEMAS = {
  'practice-prompt': practicePrompt,
  'reflection-prompt': reflectionPrompt,
  'sparring-agenda': sparringAgenda,
  'pre-visit-form': preVisitForm,
  'pre-visit-sent': preVisitSent,
  'plan-late': planLate,
  'mail-failed': mailFailed,
  questionnaire,
  'ido-art-draft': idoArtDraft,
  'action-plan': actionPlan,
  'decision-minutes': decisionMinutes,
  'learning-conversation': learningConversation,
  'module-part': modulePart,
  summary,
  answered,
  expired,
  error,
  help,
  welcome,
  plan,
  calendar,
  'plan-changed': planChanged,
  roles,
  status,
  hours: hoursCard,
  'hours-warning': hoursWarning,
  'team-setup': teamSetup,
  'programme-started': programmeStarted,
  home,
  notice,
  reminder,
  task,
  document: documentView,
  digest,
  'answer-reminder': answerReminder,
  'reminder-settings': reminderSettings,
} as const;

export type CardName = keyof typeof CARD_SCHEMAS;
export const CARD_NAMES = Object.keys(CARD_SCHEMAS) as CardName[];
export type ViewModel<N extends CardName> = z.output<(typeof CARD_SCHEMAS)[N]>;
export type ViewModelInput<N extends CardName> = z.input<(typeof CARD_SCHEMAS)[N]>;

export function isCardName(name: string): name is CardName {
  return Object.hasOwn(CARD_SCHEMAS, name);
}
