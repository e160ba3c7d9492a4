// The programme's words and the relations between activities, apart from the schema so that code which plans a
// run from programmes already checked (the CLI's plan and card, the server) does not load zod.

export const ROLES = ['staff', 'leader', 'facilitator', 'consultant', 'guide', 'chief'] as const;
export type Role = (typeof ROLES)[number];

export const ACTIVITY_KINDS = [
  'meeting',
  'themeMeeting',
  'workshop',
  'training',
  'practicePrompt',
  'reflectionPrompt',
  'sparringMeeting',
  'guidanceVisit',
  'preVisitMail',
  'questionnaire',
  'learningConversation',
  'idoArtDraft',
  'actionPlan',
  'decisionMinutes',
  'modulePart',
  'task',
  'summary',
] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

/** The kinds whose occurrences remind those who have not answered before the close (`reminders`). */
export const REMINDED_KINDS: ReadonlySet<ActivityKind> = new Set(['questionnaire', 'reflectionPrompt']);

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/**
 * Where an activity timed for a weekday goes when that day is closed: `nextWeek`, the same weekday of the
 * next week where it is open; `nextDay`, the next working day later in the same week (else as nextWeek).
 * Never to an earlier day. Default: `nextWeek` for offset (with a weekday) and monthly rules, `nextDay`
 * for the weekly module sessions of termWeeks.
 */
export const ON_CLOSED = ['nextWeek', 'nextDay'] as const;
export type OnClosed = (typeof ON_CLOSED)[number];
export type TimingRefs = { type: string; activity?: string; after?: string; before?: string };

/** The activities an activity's timing depends on, and those its order rules place it after. */
export function dependenciesOf(activity: { timing: TimingRefs; order?: { after?: string }[] | undefined }): string[] {
  const t = activity.timing;
  const refs = t.type === 'before' || t.type === 'after' ? [t.activity] : t.type === 'between' ? [t.after, t.before] : t.type === 'workingDays' ? [t.after] : [];
  refs.push(...(activity.order ?? []).map((o) => o.after));
  return refs.filter((r): r is string => typeof r === 'string');
}
