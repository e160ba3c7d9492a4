import { z } from 'zod';
import { isoDateTime, ref, text } from './parts.ts';

/**
 * The cards of reminders to answer: the reminder itself (to one who has not answered a questionnaire or
 * reflection) and `/sparring reminders`. Neither ever names anyone: a reminder says only that *you* have not
 * answered, and for an anonymous one that answers stay anonymous.
 */

export const answerReminder = z.strictObject({
  ref,
  programmeTitle: text,
  title: text,
  /** What is waiting: the words of its kind. */
  kind: z.enum(['questionnaire', 'reflection']),
  anonymous: z.boolean().default(false),
  closesAt: isoDateTime,
  /**
   * After a click: `snoozed` until `snoozedUntil` (it comes again then), `muted` for the programme, or `closesFirst`:
   * it closes before tomorrow's reminder would come. No buttons then.
   */
  state: z.enum(['open', 'snoozed', 'muted', 'closesFirst']).default('open'),
  snoozedUntil: isoDateTime.optional(),
});

/** `/sparring reminders [on|off]`: whether the person gets reminders to answer in this programme. */
export const reminderSettings = z.strictObject({
  programmeTitle: text,
  muted: z.boolean(),
  /** The command just changed it (the card confirms it). */
  changed: z.boolean().default(false),
  usage: z.array(text).default([]),
});
