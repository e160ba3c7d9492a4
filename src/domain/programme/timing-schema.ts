// The schema of an activity's timing rule, apart from the activity's other fields: the eight kinds of rule
// are a vocabulary of their own, which the plan (src/domain/timeline/rules.ts) reads rule by rule.
import { z } from 'zod';
import { id, isoWeek, localTime, nonNegative, onClosed, settingsMatch, weekday } from './schema-fields.ts';

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
