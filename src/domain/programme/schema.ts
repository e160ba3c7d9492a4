// The one schema every programme file passes: built-in ones in programmes/ and copies a user edits. Its parts
// live in schema-fields.ts, timing-schema.ts, activity-schema.ts and cross-references.ts; this module re-exports
// what code outside reads, so everything is imported from here.
import { z } from 'zod';
import { CALENDAR_KINDS } from '../calendar/breaks.ts';
import { activitySchema, remindersSchema } from './activity-schema.ts';
import { checkCrossReferences } from './cross-references.ts';
import { LOCALES } from './locales.ts';
import { id, localized } from './schema-fields.ts';
import { ROLES } from './vocabulary.ts';

export type { Activity, NoticeSettings, OrderRule, Question, ReminderSettings } from './activity-schema.ts';
export { LOCALES, type Locale } from './locales.ts';
export type { Localized, SettingsMatch } from './schema-fields.ts';
export { type TimingRule, timingRuleSchema } from './timing-schema.ts';

export {
  ACTIVITY_KINDS,
  type ActivityKind,
  dependenciesOf,
  ON_CLOSED,
  type OnClosed,
  REMINDED_KINDS,
  ROLES,
  type Role,
  WEEKDAYS,
  type Weekday,
} from './vocabulary.ts';

const settingSchema = z.strictObject({
  id,
  label: localized,
  default: z.string(),
  choices: z.array(z.strictObject({ value: z.string().regex(/^[a-z0-9-]+$/), label: localized })).min(1),
});
export type Setting = z.infer<typeof settingSchema>;

export const programmeSchema = z
  .strictObject({
    schemaVersion: z.literal(1),
    id,
    /** The language of the seed document; the other two are translations. */
    language: z.enum(LOCALES),
    title: localized,
    summary: localized,
    /** Where the content comes from, so a reader can check it. */
    source: z.string().min(1),
    lengthMonths: z.number().min(0.5).max(36),
    country: z.enum(['DK', 'SE']).default('DK'),
    /** Which breaks close the programme by default: `school` (the school year's) or `workplace` (24–31 Dec only); a run may override it. */
    calendar: z.enum(CALENDAR_KINDS).default('school'),
    /** Hours on top of the meetings, per role (the seed's preparation time, say). */
    preparationHours: z.partialRecord(z.enum(ROLES), z.number().min(0)).default({}),
    /**
     * The programme's own name for each of the app's roles, in each language (Skolverket: leader "rektor",
     * facilitator "ledaren för det kollegiala lärandet"). The welcome card says a person's role in these words.
     */
    roleNames: z.partialRecord(z.enum(ROLES), localized).optional(),
    /**
     * Hours each person of a role may spend on the whole programme (SEVU: 13 for a participant, 27 for the
     * facilitator). What each activity books is counted against it; `/sparring hours` shows what is left,
     * and the leaders are warned before a booking would go past it. Roles without one have no limit.
     */
    hoursBudget: z.partialRecord(z.enum(ROLES), z.number().min(0).max(10_000)).optional(),
    /** A team's punch card of hours (STUK's 10-hour klippekort): each session of `activities` booked draws its hours once, whoever took part. */
    punchCard: z.strictObject({ hours: z.number().min(1), activities: z.array(id).min(1) }).optional(),
    /** Reminders to those who have not answered a questionnaire or reflection, for every such activity without its own. */
    reminders: remindersSchema.optional(),
    /** A summary shows anonymous answers only when at least this many answered. */
    anonymityThreshold: z.number().int().min(2).default(5),
    settings: z.array(settingSchema).default([]),
    phases: z.array(z.strictObject({ id, title: localized, text: localized.optional(), activities: z.array(activitySchema).min(1) })).min(1),
  })
  // Cross-references are checked even when a field elsewhere is wrong, so `validate` lists every problem at once.
  .superRefine((value, ctx) => checkCrossReferences(value, ctx), { when: () => true });

export type Programme = z.infer<typeof programmeSchema>;
