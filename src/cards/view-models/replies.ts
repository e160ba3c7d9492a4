import { z } from 'zod';
import { ROLES } from '../../domain/programme/schema.ts';
import { answer, isoDateTime, ref, text } from './parts.ts';

// The cards that answer people: a summary of the replies, the answered or expired card, an error, help.

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
