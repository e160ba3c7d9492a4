import { z } from 'zod';
import { ROLES } from '../../domain/programme/schema.ts';
import { answer, isoDate, isoDateTime, ref, text } from './parts.ts';

// The cards about the team and its run: welcome, plan, calendar, roles, status, home, set-up, notices and tasks.

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
