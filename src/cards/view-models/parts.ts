import { z } from 'zod';

// The pieces the cards' view models share: plain text, dates and times, the occurrence a card belongs to.

export const text = z.string().min(1);
export const isoDate = z.iso.date();
export const isoDateTime = z.iso.datetime();

/** Which occurrence a card belongs to; every action the card sends carries it back. */
export const ref = z.strictObject({ programmeId: text, activityId: text, occurrenceId: text });

export const question = z.strictObject({ id: text, text, help: text.optional() });
export const field = z.strictObject({
  id: text,
  label: text,
  kind: z.enum(['text', 'date', 'number']).default('text'),
  value: z.string().optional(),
  /** Heading of a group of fields (handleplan: "Tiltag og tegn"). */
  group: text.optional(),
});
export const answer = z.strictObject({
  label: text,
  value: z.string(),
  /** A date answer (YYYY-MM-DD) is shown as a date in the reader's language. */
  kind: z.enum(['text', 'date']).default('text'),
});
