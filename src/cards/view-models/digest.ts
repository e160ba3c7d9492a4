import { z } from 'zod';
import { text } from './parts.ts';

const count = z.number().int().min(0);

/**
 * The leaders' monthly overview (src/app/monthly-digest.ts): participation per activity of the month, as counts
 * only, the forms out and not sent, the hours booked, and what the coming month holds.
 */
export const digest = z.strictObject({
  programmeTitle: text,
  /** The first day of the month covered. */
  month: z.iso.date(),
  /** Per activity: of the people asked, summed over its `times` occurrences in the month, how many answered. */
  participation: z.array(z.strictObject({ title: text, answered: count, invited: count, times: z.number().int().min(1) })).default([]),
  /** Forms sent and not sent back yet; `dueAt` the deadline, where the form has one. */
  openForms: z.array(z.strictObject({ title: text, dueAt: z.iso.datetime().optional() })).default([]),
  /** Hours booked so far, in all and per role (a role outside the five is shown by its name). */
  hours: z.strictObject({ total: z.number().min(0), byRole: z.array(z.strictObject({ role: text, hours: z.number().min(0) })).default([]) }),
  /** The coming month's activities, each once: its first date and how many times it comes. */
  next: z.array(z.strictObject({ title: text, at: z.iso.datetime(), times: z.number().int().min(1) })).default([]),
  /** Activities of the coming month beyond those listed. */
  moreNext: count.default(0),
});
