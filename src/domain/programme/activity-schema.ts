// The schema of one activity and what it carries (its questions, notice, reminders and order rules), apart from
// the programme that lists the activities, its settings and the checks across activities.
import { z } from 'zod';
import { id, localized, localTime, settingsMatch } from './schema-fields.ts';
import { timingRuleSchema } from './timing-schema.ts';
import { ACTIVITY_KINDS, ROLES } from './vocabulary.ts';

const range = z.strictObject({ min: z.number().int().min(1), max: z.number().int().min(1) }).refine((r) => r.min <= r.max, 'min must not be more than max');

const questionSchema = z
  .strictObject({
    id,
    text: localized,
    /** `scale` items are answered 1-5 (questionnaires); `text` in free text; `date` and `number` in forms. */
    answer: z.enum(['text', 'scale', 'date', 'number']).default('text'),
    help: localized.optional(),
    /**
     * A form's date that sets the date of the meeting it prepares (Bilag B's "Dato for fælles sparringmøde"):
     * the mail and its invitation use it, at the meeting's planned time of day; the plan's date is its default.
     */
    meetingDate: z.literal(true).optional(),
    /** The writer's own (Bilag B's "Egne noter"): kept with the form, never sent on. */
    private: z.literal(true).optional(),
  })
  .refine((q) => !q.meetingDate || q.answer === 'date', { message: 'meetingDate needs answer: date', path: ['meetingDate'] });
export type Question = z.infer<typeof questionSchema>;

/**
 * When an activity's cards go out, and what its notice says, where the kind's default does not fit
 * (defaults per kind: src/domain/timeline/sends.ts). Lead times count working days of the team's calendar.
 */
const noticeSchema = z.strictObject({
  /** The notice (or, for a kind with a card of its own, that card) this many working days ahead; 0: at the start. */
  workingDays: z.number().int().min(0).max(40).optional(),
  /** Counted back from the occurrence's start, from the start of the occurrence it prepares for (a `before` rule's), or sent when the activity's previous occurrence ends (the first one `workingDays` ahead). */
  from: z.enum(['start', 'target', 'previousEnd']).optional(),
  /** The local time it goes out on that day. */
  time: localTime.optional(),
  /** Who gets it, when not the whole audience (Bilag A: the leader). */
  audience: z.array(z.enum(ROLES)).min(1).optional(),
  /** The short reminder on the morning of the day, at this local time; false: none. */
  reminder: z.union([localTime, z.literal(false)]).optional(),
  /** What to prepare, as the notice says it. */
  prepare: localized.optional(),
  /** What the activity's `agenda` is, as the notice heads it: a meeting's agenda, the methods trained, the day's aims. */
  agendaIs: z.enum(['agenda', 'methods', 'aims']).optional(),
});
export type NoticeSettings = z.infer<typeof noticeSchema>;

/**
 * Reminders of a questionnaire or reflection to those who have not answered: this many days before its close
 * (its occurrence's end), at the activity's send time (default 08:00). `[]`: none. Default [3, 1]
 * (src/domain/timeline/sends.ts). Only occurrences with a close (`windowDays`) are reminded.
 */
export const remindersSchema = z.strictObject({
  daysBeforeClose: z
    .array(z.number().int().min(1).max(90))
    .max(10)
    .refine((days) => new Set(days).size === days.length, 'each number of days once'),
});
export type ReminderSettings = z.infer<typeof remindersSchema>;

// Order rules: what must come after or before what, whatever the dates a run fixes or the calendar does.
// `after: X`: this activity's occurrences start after X's `which` occurrence ends (default `last`; `each`:
// the i-th after X's i-th); the plan moves a single occurrence to the next working day after, and warns
// where it cannot (a series, a fixed date). `before: X`: this activity ends before X's `which` occurrence
// starts (default `first`); checked only, with a warning. `sameSchoolYear`: every occurrence of this
// activity and of the listed ones falls in one school year (August to June); checked, with a warning.
const orderRule = z
  .strictObject({ after: id.optional(), before: id.optional(), which: z.enum(['first', 'last', 'each']).optional() })
  .refine((r) => (r.after === undefined) !== (r.before === undefined), 'an order rule names exactly one of "after" or "before"');
export type OrderRule = z.infer<typeof orderRule>;

export const activitySchema = z.strictObject({
  id,
  kind: z.enum(ACTIVITY_KINDS),
  /** Module parts may use {part} and {moments} in their titles. */
  title: localized,
  text: localized.optional(),
  audience: z.array(z.enum(ROLES)).min(1),
  durationMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60),
  timing: timingRuleSchema,
  /** Open for answers this many days from the start (questionnaires). */
  windowDays: z.number().int().min(1).max(90).optional(),
  anonymous: z.boolean().default(false),
  questions: z.array(questionSchema).default([]),
  /** A meeting's agenda points, in order. */
  agenda: z.array(localized).default([]),
  /** What each module moment asks of the participant, by letter. */
  moments: z.record(z.enum(['A', 'B', 'C', 'D']), localized).optional(),
  /** Include this activity only in runs whose settings match. */
  when: settingsMatch.optional(),
  /** When its cards go out (lead times) and what its notice adds. */
  notice: noticeSchema.optional(),
  /** Reminders to those who have not answered (questionnaires and reflections); overrides the programme's. */
  reminders: remindersSchema.optional(),
  /** Only activities that really happen on any day (none of the seeds') set this. */
  allowNonWorkingDays: z.boolean().default(false),
  /** A meeting's time box and group size when the seed gives a range (Bilag A: 30-40 minutes, 3-4 people). */
  timeBox: range.optional(),
  groupSize: range.optional(),
  /**
   * The programme's own Adaptive Card template for this activity, in place of the built-in one.
   * In the file it is the path of a JSON file next to the programme; the loader reads it in.
   */
  card: z.strictObject({ template: z.looseObject({ type: z.literal('AdaptiveCard'), body: z.array(z.unknown()) }) }).optional(),
  order: z.array(orderRule).min(1).optional(),
  sameSchoolYear: z.array(id).min(1).optional(),
  /**
   * A link the card adds below its text (Odense: the page of UCL's questionnaire). None by default; the
   * leader sets it in the team's copy of the programme file.
   */
  link: z.strictObject({ url: z.url({ protocol: /^https?$/ }), label: localized }).optional(),
  /**
   * An I DO ART draft: how many days before the conversation the approved agenda goes to the conversation's
   * participants (at 08:00; at once when approved later). Default 3.
   */
  postDaysBefore: z.number().int().min(0).max(30).optional(),
});
export type Activity = z.infer<typeof activitySchema>;
