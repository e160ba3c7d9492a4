import { z } from 'zod';
import { ROLES } from '../domain/programme/schema.ts';
import { documentView } from './document-view-model.ts';
import { digest } from './digest-view-model.ts';
import { hoursCard, hoursWarning } from './hours-view-models.ts';
import { answerReminder, reminderSettings } from './reminder-cards.ts';

/**
 * One view model per card: the plain data a card shows, already in the reader's language.
 * The same view model feeds the Adaptive Card (Teams, browser) and the Slack blocks, and these
 * schemas are the cards' data contract (cards/README.md): `sparring card --data` and a
 * programme's own templates are checked against them.
 */

const text = z.string().min(1);
const isoDate = z.iso.date();
const isoDateTime = z.iso.datetime();

/** Which occurrence a card belongs to; every action the card sends carries it back. */
const ref = z.strictObject({ programmeId: text, activityId: text, occurrenceId: text });

const question = z.strictObject({ id: text, text, help: text.optional() });
const field = z.strictObject({
  id: text,
  label: text,
  kind: z.enum(['text', 'date', 'number']).default('text'),
  value: z.string().optional(),
  /** Heading of a group of fields (handleplan: "Tiltag og tegn"). */
  group: text.optional(),
});
const answer = z.strictObject({
  label: text,
  value: z.string(),
  /** A date answer (YYYY-MM-DD) is shown as a date in the reader's language. */
  kind: z.enum(['text', 'date']).default('text'),
});

export const practicePrompt = z.strictObject({
  ref,
  programmeTitle: text,
  title: text,
  task: text,
  date: isoDate,
  minutes: z.number().int().min(1).max(240),
});

export const reflectionPrompt = z.strictObject({
  ref,
  programmeTitle: text,
  title: text,
  text: text.optional(),
  questions: z.array(question),
  closesAt: isoDateTime.optional(),
  anonymous: z.boolean().default(false),
});

export const sparringAgenda = z.strictObject({
  ref,
  programmeTitle: text,
  title: text,
  startsAt: isoDateTime.optional(),
  minutes: z.strictObject({ min: z.number().int().min(1), max: z.number().int().min(1) }),
  groupSize: z.strictObject({ min: z.number().int().min(1), max: z.number().int().min(1) }).optional(),
  questions: z.array(text),
  leaderQuestions: z.array(text).default([]),
  /** The copy posted to the team channel: the agenda to read, without the leader's field and button. */
  posted: z.boolean().default(false),
});

export const preVisitForm = z.strictObject({
  ref,
  programmeTitle: text,
  title: text,
  text: text.optional(),
  guideName: text,
  visitAt: isoDateTime.optional(),
  dueAt: isoDateTime,
  /** False when no mail can reach the guide: the card says the plan will be kept but not mailed. */
  mailRoute: z.boolean().default(true),
  /** The form again the day before its deadline, not sent yet: it says so at the top. */
  reminder: z.boolean().default(false),
  fields: z.array(field),
});

export const preVisitSent = z.strictObject({
  ref,
  title: text,
  guideName: text,
  sentAt: isoDateTime,
  /** The meeting's date as the mail gives it (the leaders' own, or the plan's). */
  visitAt: isoDateTime.optional(),
  /** On the copy the other leaders get: who sent it. */
  byName: text.optional(),
  answers: z.array(answer),
});

/** To the guide, when the deadline of the plan for their visit (Bilag B) has passed with nothing sent. */
export const planLate = z.strictObject({
  programmeTitle: text,
  title: text,
  visitAt: isoDateTime,
  dueAt: isoDateTime,
});

/** To the leaders, when a mail the bot was to send (the plan to the guide) could not be delivered. */
export const mailFailed = z.strictObject({
  title: text,
  to: text,
  reason: text,
  /** What the mail was: the leaders' plan (kept here, to be sent on by hand) or word that it is late. */
  mail: z.enum(['plan', 'late']).default('plan'),
});

const scaleItem = z.strictObject({
  id: text,
  text,
  help: text.optional(),
  kind: z.literal('scale'),
  min: z.number().int().default(1),
  max: z.number().int().default(5),
});
const textItem = z.strictObject({ id: text, text, help: text.optional(), kind: z.literal('text') });

export const questionnaire = z.strictObject({
  ref,
  programmeTitle: text,
  title: text,
  text: text.optional(),
  anonymous: z.boolean(),
  closesAt: isoDateTime,
  items: z.array(z.discriminatedUnion('kind', [scaleItem, textItem])),
});

const draftStatus = z.enum(['draft', 'sentBack', 'approved']);

export const idoArtDraft = z.strictObject({
  ref,
  programmeTitle: text.optional(),
  title: text,
  text: text.optional(),
  conversationAt: isoDateTime.optional(),
  /** Intention, Desired Outcome, Agenda, Rules and Roles, Time: the question and the draft answer. */
  sections: z.array(field),
  /** Where the shared draft stands; approved, it is shown without inputs or buttons. */
  status: draftStatus.default('draft'),
  /** The consultant's comment when the draft was sent back to the school. */
  comment: text.optional(),
  /** The versions saved so far, oldest first: who and when. */
  versions: z.array(z.strictObject({ by: text.optional(), at: isoDateTime, status: draftStatus })).default([]),
  /** On the card that answers a click: what just happened (`queuedFor`: when the approved agenda goes to the participants). */
  outcome: z.enum(['saved', 'sentBack', 'approved']).optional(),
  queuedFor: isoDateTime.optional(),
});

export const actionPlan = z.strictObject({
  ref,
  programmeTitle: text.optional(),
  title: text,
  text: text.optional(),
  fields: z.array(field),
});

/** A beslutningsreferat to write and send: to the meeting's participants and the chief (Kolding's skolechef). */
export const decisionMinutes = z.strictObject({
  ref,
  programmeTitle: text.optional(),
  title: text,
  text: text.optional(),
  /** The meeting it records. */
  meetingAt: isoDateTime.optional(),
  fields: z.array(field),
  /** Who it goes to, by role name ("leder, skolechef"). */
  goesTo: text.optional(),
});

export const learningConversation = z.strictObject({
  ref,
  programmeTitle: text.optional(),
  title: text,
  text: text.optional(),
  startsAt: isoDateTime.optional(),
  /** The læringshjul's phases, the conversation's agenda. */
  phases: z.array(text),
  /** The handleplan's tiltag (hvad, hvem og hvornår, tegn) as the school wrote them: what Styr læringsamtalen asks about. */
  tiltag: z.array(z.strictObject({ label: text, value: text })).default([]),
  questions: z.array(question),
});

export const modulePart = z.strictObject({
  ref,
  programmeTitle: text,
  title: text,
  text: text.optional(),
  part: z.number().int().min(1),
  startsAt: isoDateTime.optional(),
  moments: z.array(z.strictObject({ letter: z.enum(['A', 'B', 'C', 'D']), text })),
});

const summaryItem = z.strictObject({
  id: text,
  text,
  /** Scale items: how many chose each value. */
  counts: z.array(z.strictObject({ value: z.number().int(), count: z.number().int().min(0) })).default([]),
  /** Free-text answers (anonymous ones shuffled by the summariser). */
  answers: z.array(text).default([]),
  /** Anonymous, and fewer than `threshold` answered this question: its answers are not shown, only that. */
  tooFew: z.boolean().default(false),
});

export const summary = z.strictObject({
  ref,
  programmeTitle: text,
  title: text,
  invited: z.number().int().min(0),
  answered: z.number().int().min(0),
  anonymous: z.boolean(),
  /** Anonymous answers are shown only from this many respondents, counted per question. */
  threshold: z.number().int().min(1),
  /** When the occurrence closes for answers (its end). */
  closesAt: isoDateTime.optional(),
  /** Anonymous and not closed yet: participation only; the answers come after `closesAt`. */
  beforeClose: z.boolean().default(false),
  themes: z.array(text).default([]),
  items: z.array(summaryItem).default([]),
  next: z.strictObject({ title: text, startsAt: isoDateTime }).optional(),
  /** Every written answer (after "show all"), not only the first ten per question. */
  expanded: z.boolean().default(false),
});

export const answered = z.strictObject({
  ref,
  title: text,
  answeredAt: isoDateTime,
  /** What the person chose: done, skipped or answered. */
  outcome: z.enum(['done', 'skipped', 'answered', 'alreadyAnswered', 'approved', 'sentBack', 'saved', 'posted', 'shared', 'minutesSent']),
  answers: z.array(answer).default([]),
});

export const expired = z.strictObject({ ref, title: text, closedAt: isoDateTime });

export const ERROR_CODES = [
  'badPayload',
  'notMember',
  'noAgenda',
  'unknownCommand',
  'badArgument',
  'wrongRole',
  'expired',
  'notFound',
  'internal',
  'notYet',
  'setupNotLeader',
  'onlyLeaders',
  'badHours',
  'ownHoursOnly',
  'draftApproved',
  'commentNeeded',
  'conversationHeld',
  'noHandleplan',
  'noHandleplanInProgramme',
  'tryAgain',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const error = z.strictObject({
  code: z.enum(ERROR_CODES),
  /** What the person could have written instead (commands, arguments, roles). */
  choices: z.array(text).default([]),
  /** A refusal by role: the roles that may. */
  who: z.array(z.enum(ROLES)).default([]),
});

export const help = z.strictObject({
  /** The `/sparring` commands the person may use (src/app/commands), each explained by its own string. */
  commands: z.array(z.string().regex(/^[a-z]+$/)),
});

const role = z.enum(ROLES);

/**
 * A greeting. To a member of a run: what the programme is, their role, the first date. At install
 * (no run yet) or in a personal chat, only what Sparringsbot does and what happens next (`pending`).
 */
export const welcome = z.strictObject({
  teamName: text.optional(),
  programmeTitle: text.optional(),
  programmeSummary: text.optional(),
  role: role.optional(),
  /** The programme's own name for the role (its file's `roleNames`), e.g. "rektor"; absent: the app's word only. */
  roleName: text.optional(),
  firstAt: isoDateTime.optional(),
  /** No run to tell about: `setUp`, the team is being set up; `personal`, a 1:1 chat whose teams have none yet. */
  pending: z.enum(['setUp', 'setUpInChannel', 'personal']).optional(),
});

/** `/sparring plan`: the team's coming occurrences. */
export const plan = z.strictObject({
  programmeTitle: text,
  entries: z.array(z.strictObject({ at: isoDateTime, title: text })),
});

/** `/sparring calendar`: the team's own calendar (and, after a change, what moved), with how to change it. */
export const calendar = z.strictObject({
  programmeTitle: text,
  kind: z.enum(['school', 'workplace']),
  /** Swedish runs: the sportlov week. */
  sportlovWeek: z.number().int().min(7).max(10).optional(),
  closed: z.array(isoDate).default([]),
  /** Dates someone else set: the occurrence, and YYYY-MM-DD or YYYY-MM-DDTHH:MM (local). */
  fixed: z.array(z.strictObject({ id: text, title: text, at: text })).default([]),
  /** The calendar was just changed (the card confirms it). */
  changed: z.boolean().default(false),
  moved: z.array(z.strictObject({ title: text, from: isoDateTime, to: isoDateTime })).default([]),
  usage: z.array(text).default([]),
});

/** `/sparring role`: who has which role in the team (and, after a change, whose changed), with how to change it. */
export const roles = z.strictObject({
  programmeTitle: text,
  members: z.array(z.strictObject({ name: text, roles: z.array(role).min(1) })),
  changed: z.strictObject({ name: text, role }).optional(),
  usage: z.array(text).default([]),
});

/** Posted to the team channel when a leader's change of the calendar moved dates still to come. */
export const planChanged = z.strictObject({
  programmeTitle: text,
  moved: z.array(z.strictObject({ title: text, from: isoDateTime, to: isoDateTime })).default([]),
});

/**
 * `/sparring status`: for a leader, participation per recent occurrence, what is next and the dead
 * letters; for a staff member, their own answers (`done`) and what is next.
 */
export const status = z.strictObject({
  programmeTitle: text,
  rows: z.array(z.strictObject({ title: text, answered: z.number().int().min(0), invited: z.number().int().min(0), done: z.boolean().optional() })),
  next: z.strictObject({ title: text, at: isoDateTime }).optional(),
  deadLetters: z.number().int().min(0).optional(),
  /** Forms past their deadline and not sent (Bilag B to the guide), for the leaders and the guide. */
  late: z.array(z.strictObject({ title: text, dueAt: isoDateTime })).default([]),
});

/**
 * Slack's App Home for one person: their open prompts (each with a button to the prompt's own form or
 * action: `card`, `verb` and `ref` are what the prompt's card carries), what comes next for them, and their
 * latest named answers (never an anonymous one: nothing links it to them). `inProgramme: false`: the person
 * is in no run of the workspace, and the home says only that.
 */
export const home = z.strictObject({
  programmeTitle: text.optional(),
  inProgramme: z.boolean().default(true),
  open: z
    .array(
      z.strictObject({
        /** The prompt's card and the verb of its answer: the button acts as the prompt's own would. */
        card: text,
        verb: text,
        ref,
        title: text,
        /** When it was sent (the occurrence's start), and when it closes for answers, if it does. */
        sentAt: isoDateTime,
        closesAt: isoDateTime.optional(),
      }),
    )
    .default([]),
  /** Open prompts beyond those listed. */
  moreOpen: z.number().int().min(0).default(0),
  next: z.array(z.strictObject({ title: text, at: isoDateTime })).default([]),
  answers: z.array(z.strictObject({ title: text, at: isoDateTime, outcome: z.enum(['done', 'skipped', 'answered']), answers: z.array(answer).default([]) })).default([]),
});

export const SETUP_PROBLEMS = ['notAllowed', 'unknownProgramme', 'badSetting', 'badDate', 'badZone', 'badCountry', 'badLocale', 'noLead', 'badClosed', 'badFix'] as const;

/**
 * The set-up form a team's installer (or an owner) fills in: programme, its settings, start, country,
 * zone, language and who has which role. Its one action, `start`, carries `team`, `channelId` and
 * `installedBy` back; `problems` (after a refused submit) say what to fix.
 */
export const teamSetup = z.strictObject({
  team: z.strictObject({ tenant: text, team: text }),
  teamName: text.optional(),
  /** The user id of whoever installed Sparringsbot: they, and the team's owners, may submit. */
  installedBy: text.optional(),
  /** The conversation id of the channel (or group chat) the team's posts go to. */
  channelId: text.optional(),
  programmes: z.array(z.strictObject({ id: text, title: text })),
  /** The programme chosen (or preselected). */
  programmeId: text.optional(),
  /** Every programme's settings; `id` is `<programme>:<setting>`, the label names the programme. */
  settings: z.array(z.strictObject({ id: text, label: text, value: z.string(), choices: z.array(z.strictObject({ title: text, value: text })) })),
  start: isoDate,
  country: z.enum(['DK', 'SE']),
  timeZone: text,
  locale: z.enum(['da', 'sv', 'en']),
  /** The members whose role can be chosen here (`id` is the user id); the rest take part as staff. */
  members: z.array(z.strictObject({ id: text, name: text, role })),
  moreMembers: z.number().int().min(0).default(0),
  /** The team's own calendar: the programme's kind of calendar or another, the Swedish sportlov week, extra closed days and dates set by others (as typed). */
  calendarKind: z.enum(['programme', 'school', 'workplace']).default('programme'),
  sportlovWeek: z.number().int().min(7).max(10).default(9),
  closed: z.string().max(2000).default(''),
  fixed: z.string().max(2000).default(''),
  /** Who may start it: whoever installed the bot or an owner (Teams), or whoever leads (Slack's `/sparring setup`). */
  whoMay: z.enum(['installer', 'leader']).default('installer'),
  problems: z.array(z.strictObject({ code: z.enum(SETUP_PROBLEMS), detail: text.optional() })).default([]),
});

/** Posted to the team channel when a run is set up: the programme, its settings and its first dates. */
export const programmeStarted = z.strictObject({
  programmeTitle: text,
  start: isoDate,
  settings: z.array(z.strictObject({ label: text, value: text })).default([]),
  first: z.array(z.strictObject({ at: isoDateTime, title: text })),
  /** How many dates come after these: `/sparring plan` shows them. */
  more: z.number().int().min(0),
});

/** Meetings, workshops, trainings, visits and læringssamtaler, ahead of time: what, when, who, the agenda, what to prepare. */
export const notice = z.strictObject({
  ref,
  programmeTitle: text,
  title: text,
  text: text.optional(),
  startsAt: isoDateTime,
  endsAt: isoDateTime,
  /** Who takes part, by role. */
  roles: z.array(role).min(1),
  /** What the list is: a meeting's agenda, the methods trained, the day's aims. */
  listAs: z.enum(['agenda', 'methods', 'aims']).default('agenda'),
  agenda: z.array(text).default([]),
  /** Questions to think about before the meeting. */
  questions: z.array(text).default([]),
  prepare: text.optional(),
  /** The "add to calendar" link (an .ics file); left out when the server has no public address. */
  calendarUrl: z.url({ protocol: /^https?$/ }).optional(),
});

/** The short reminder on the morning of the day. */
export const reminder = z.strictObject({
  ref,
  programmeTitle: text,
  title: text,
  startsAt: isoDateTime,
  endsAt: isoDateTime,
  calendarUrl: z.url({ protocol: /^https?$/ }).optional(),
});

/** A task with a deadline (Kolding's referat, the themes to the administration). */
export const task = z.strictObject({
  ref,
  programmeTitle: text,
  title: text,
  text: text.optional(),
  dueAt: isoDateTime,
  minutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60),
});

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
