import { z } from 'zod';
import { isoDateTime, text } from './parts.ts';

// The hours cards' data contract (see view-models.ts): `/sparring hours` and the leaders' warning ahead of a booking.

/** Hours to the hundredth, shown with the reader's decimal sign ("12,5 t"). */
const hours = z.number().min(0).max(100_000);

/**
 * `/sparring hours`: the person's own hours (used, their budget and what is left), their latest bookings,
 * each with a field to correct it, and for a leader or facilitator the team's: each person, the total
 * and the punch card. `saved`: the card after a correction.
 */
export const hoursCard = z.strictObject({
  programmeTitle: text,
  /** Whose hours these are: the save carries it back, and only that person may correct them. */
  ref: z.strictObject({ programmeId: text, userId: text }),
  used: hours,
  budget: hours.optional(),
  /** The latest bookings, newest first; `id` is the occurrence's. `planned`: the person corrected it from this. */
  bookings: z.array(z.strictObject({ id: text, title: text, at: isoDateTime, hours, planned: hours.optional() })).default([]),
  /** Older bookings not listed, and their hours. */
  earlier: z.strictObject({ count: z.number().int().min(1), hours }).optional(),
  team: z
    .strictObject({
      people: z.array(z.strictObject({ name: text, used: hours, budget: hours.optional() })),
      total: hours,
      punchCard: z.strictObject({ budget: hours, used: hours }).optional(),
    })
    .optional(),
  saved: z.boolean().default(false),
});

/** To the team's leaders ahead of an occurrence whose booking would take a person, or the punch card, past the budget. */
export const hoursWarning = z.strictObject({
  programmeTitle: text,
  title: text,
  startsAt: isoDateTime,
  people: z.array(z.strictObject({ name: text, budget: hours, projected: hours, over: hours })).default([]),
  punchCard: z.strictObject({ budget: hours, projected: hours, over: hours }).optional(),
});
