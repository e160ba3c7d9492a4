import { z } from 'zod';
import { isoDateTime, text } from './parts.ts';

/**
 * A document the team wrote, shown to read (not to edit): the handleplan as it is shared with the
 * consultant and shown by `/sparring handleplan`, an approved I DO ART as the participants get it, a
 * beslutningsreferat as it goes to the participants and the skolechef.
 */

export const documentView = z.strictObject({
  kind: z.enum(['handleplan', 'idoArt', 'decisionMinutes']),
  title: text,
  programmeTitle: text.optional(),
  /** The meeting the document is for (the læringssamtale of an I DO ART). */
  meetingAt: isoDateTime.optional(),
  /** Who saved the version shown, and when; no name once the author's data is erased. */
  by: text.optional(),
  at: isoDateTime,
  fields: z.array(z.strictObject({ label: text, value: text, group: text.optional(), changed: z.boolean().default(false) })),
  /** Earlier versions, newest first: who, when, and the labels of what they changed. */
  history: z.array(z.strictObject({ version: z.number().int().min(1), by: text.optional(), at: isoDateTime, changed: z.array(text) })).default([]),
});
