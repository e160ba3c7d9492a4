import { z } from 'zod';
import { answer, field, isoDate, isoDateTime, question, ref, text } from './parts.ts';

// The cards an activity of a programme posts: prompts, agendas, forms, questionnaires and the Kolding documents.

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
