// The one schema every programme file passes: built-in ones in programmes/ and copies a user edits.
import { z } from 'zod';
import { CALENDAR_KINDS } from '../calendar/breaks.ts';
import { LOCALES } from './locales.ts';
import { ACTIVITY_KINDS, type ActivityKind, dependenciesOf, ON_CLOSED, REMINDED_KINDS, ROLES, type TimingRefs, WEEKDAYS } from './vocabulary.ts';

export { LOCALES, type Locale } from './locales.ts';

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

const id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and "-", like "workshop-1"');
const localized = z.strictObject({ da: z.string().min(1), sv: z.string().min(1), en: z.string().min(1) });
export type Localized = z.infer<typeof localized>;

const localTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a local time written HH:mm, like "14:00"');
const weekday = z.enum(WEEKDAYS);
const isoWeek = z.number().int().min(1).max(53);
const nonNegative = z.number().int().min(0);
const onClosed = z.enum(ON_CLOSED).optional();

/** Settings a run chooses among, e.g. `{ module: school }`; a rule or activity can depend on them. */
const settingsMatch = z.record(z.string(), z.union([z.string(), z.array(z.string()).min(1)]));
export type SettingsMatch = z.infer<typeof settingsMatch>;

// Timing rules: each says when an activity's occurrences fall, relative to the run start or to another
// activity. Dates that land on a non-working day move to the nearest working day in the rule's direction.
const offsetRule = z.strictObject({
  type: z.literal('offset'),
  weeks: nonNegative.default(0),
  days: nonNegative.default(0),
  /** Moves the date to this weekday of the same ISO week, e.g. a Tuesday evening workshop. */
  weekday: weekday.optional(),
  onClosed,
  time: localTime,
});
const workingDaysRule = z.strictObject({
  type: z.literal('workingDays'),
  /** Count from the day of this activity's last occurrence (that day included) instead of from the run start. */
  after: id.optional(),
  fromWeeks: nonNegative.default(0),
  fromDays: nonNegative.default(0),
  /** Weeks with no working day (a break) are not counted: four weeks of practice stay four weeks. */
  forWeeks: z.number().int().min(1),
  time: localTime,
});
const monthlyRule = z.strictObject({
  type: z.literal('monthly'),
  /** 1-4 for the first to fourth such weekday of the month, -1 for the last. */
  nth: z.union([z.number().int().min(1).max(4), z.literal(-1)]),
  weekday,
  onClosed,
  fromWeeks: nonNegative.default(0),
  untilWeeks: z.number().int().min(1),
  time: localTime,
});
const inMonthRule = z.strictObject({
  type: z.literal('inMonth'),
  /** A month of the run's school year (July to June): 8 is the August the year starts in, 1 the January after. */
  month: z.number().int().min(1).max(12),
  day: z.number().int().min(1).max(28).default(1),
  time: localTime,
});
const beforeRule = z.strictObject({
  type: z.literal('before'),
  activity: id,
  /** At least this many calendar days before each occurrence of `activity`, on a working day. */
  days: z.number().int().min(1),
  time: localTime.optional(),
});
const afterRule = z.strictObject({
  type: z.literal('after'),
  activity: id,
  /** `each`: one occurrence after every occurrence of `activity`; `last`: one after its last. */
  of: z.enum(['each', 'last']).default('each'),
  anchor: z.enum(['start', 'end']).default('end'),
  days: nonNegative.default(0),
  time: localTime.optional(),
});
const betweenRule = z.strictObject({
  type: z.literal('between'),
  after: id,
  before: id,
  /** Where between the two it falls: 0.5 is halfway. */
  at: z.number().gt(0).lt(1).default(0.5),
  time: localTime,
});
const termWeeksVariant = z.strictObject({
  when: settingsMatch.default({}),
  parts: z.number().int().min(1).max(40),
  /** How many school weeks moments C and D take after the week of moments A and B. */
  cdWeeks: z.number().int().min(1).max(4),
  autumnWeek: isoWeek,
  springWeek: isoWeek,
});
const termWeeksRule = z.strictObject({
  type: z.literal('termWeeks'),
  /** The first variant whose `when` matches the run's settings is used. */
  variants: z.array(termWeeksVariant).min(1),
  /** Default: the weekday of the run start. */
  weekday: weekday.optional(),
  onClosed,
  time: localTime,
});

export const timingRuleSchema = z.discriminatedUnion('type', [offsetRule, workingDaysRule, monthlyRule, inMonthRule, beforeRule, afterRule, betweenRule, termWeeksRule]);
export type TimingRule = z.infer<typeof timingRuleSchema>;

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
const remindersSchema = z.strictObject({
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

const activitySchema = z.strictObject({
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
  .superRefine(
    (value, ctx) => {
      const shape = crossReferenceShape.safeParse(value);
      if (shape.success) checkCrossReferences(shape.data, ctx);
    },
    { when: () => true },
  );

export type Programme = z.infer<typeof programmeSchema>;

/** Just the fields the cross-reference checks read, so they can run on a file that is wrong elsewhere. */
const crossReferenceShape = z.looseObject({
  settings: z.array(z.looseObject({ id: z.string(), default: z.string(), choices: z.array(z.looseObject({ value: z.string() })) })).default([]),
  punchCard: z.looseObject({ activities: z.array(z.string()) }).optional(),
  phases: z.array(
    z.looseObject({
      activities: z.array(
        z.looseObject({
          id: z.string(),
          kind: z.string().optional(),
          reminders: z.unknown().optional(),
          when: settingsMatch.optional(),
          order: z.array(z.looseObject({ after: z.string().optional(), before: z.string().optional() })).optional(),
          sameSchoolYear: z.array(z.string()).optional(),
          timing: z.looseObject({
            type: z.string(),
            activity: z.string().optional(),
            after: z.string().optional(),
            before: z.string().optional(),
            variants: z.array(z.looseObject({ when: settingsMatch.optional() })).optional(),
          }),
        }),
      ),
    }),
  ),
});
type CrossReferenceShape = z.infer<typeof crossReferenceShape>;

function checkCrossReferences(programme: CrossReferenceShape, ctx: z.RefinementCtx) {
  const activities = programme.phases.flatMap((p, pi) => p.activities.map((a, ai) => ({ a, path: ['phases', pi, 'activities', ai] })));
  const ids = new Set<string>();
  for (const { a, path } of activities) {
    if (ids.has(a.id)) ctx.addIssue({ code: 'custom', path: [...path, 'id'], message: `duplicate activity id "${a.id}"` });
    ids.add(a.id);
  }
  const settingIds = new Map(programme.settings.map((s) => [s.id, new Set(s.choices.map((c) => c.value))]));
  programme.settings.forEach((s, si) => {
    if (!settingIds.get(s.id)?.has(s.default)) ctx.addIssue({ code: 'custom', path: ['settings', si, 'default'], message: `"${s.default}" is not one of the choices` });
  });
  const checkMatch = (match: SettingsMatch | undefined, path: (string | number)[]) => {
    for (const [key, value] of Object.entries(match ?? {})) {
      const choices = settingIds.get(key);
      if (!choices) {
        ctx.addIssue({ code: 'custom', path: [...path, key], message: `unknown setting "${key}"` });
        continue;
      }
      for (const v of [value].flat()) if (!choices.has(v)) ctx.addIssue({ code: 'custom', path: [...path, key], message: `"${v}" is not a choice of "${key}"` });
    }
  };
  for (const { a, path } of activities) {
    checkMatch(a.when, [...path, 'when']);
    if (a.reminders !== undefined && a.kind !== undefined && !REMINDED_KINDS.has(a.kind as ActivityKind))
      ctx.addIssue({ code: 'custom', path: [...path, 'reminders'], message: `only questionnaires and reflection prompts are reminded, not a "${a.kind}"` });
    for (const ref of dependenciesOf({ timing: a.timing })) if (!ids.has(ref)) ctx.addIssue({ code: 'custom', path: [...path, 'timing'], message: `refers to unknown activity "${ref}"` });
    a.order?.forEach((o, oi) => {
      const ref = o.after ?? o.before;
      if (ref === undefined) return;
      if (!ids.has(ref)) ctx.addIssue({ code: 'custom', path: [...path, 'order', oi], message: `refers to unknown activity "${ref}"` });
      else if (ref === a.id) ctx.addIssue({ code: 'custom', path: [...path, 'order', oi], message: `an activity cannot come ${o.after ? 'after' : 'before'} itself` });
    });
    a.sameSchoolYear?.forEach((ref, ri) => {
      if (!ids.has(ref)) ctx.addIssue({ code: 'custom', path: [...path, 'sameSchoolYear', ri], message: `refers to unknown activity "${ref}"` });
    });
    a.timing.variants?.forEach((v, vi) => checkMatch(v.when, [...path, 'timing', 'variants', vi, 'when']));
  }
  for (const ref of programme.punchCard?.activities ?? []) if (!ids.has(ref)) ctx.addIssue({ code: 'custom', path: ['punchCard', 'activities'], message: `unknown activity "${ref}"` });
  const cycle = findCycle(activities.map(({ a }) => a));
  if (cycle) ctx.addIssue({ code: 'custom', path: ['phases'], message: `timing and order rules refer to each other in a circle: ${cycle.join(' → ')}` });
}

function findCycle(activities: { id: string; timing: TimingRefs; order?: { after?: string }[] | undefined }[]): string[] | undefined {
  const byId = new Map(activities.map((a) => [a.id, a]));
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, trail: string[]): string[] | undefined => {
    if (state.get(id) === 'done') return undefined;
    if (state.get(id) === 'visiting') return [...trail.slice(trail.indexOf(id)), id];
    state.set(id, 'visiting');
    const activity = byId.get(id);
    for (const dep of activity ? dependenciesOf(activity) : []) {
      const found = visit(dep, [...trail, id]);
      if (found) return found;
    }
    state.set(id, 'done');
    return undefined;
  };
  for (const a of activities) {
    const found = visit(a.id, []);
    if (found) return found;
  }
  return undefined;
}
