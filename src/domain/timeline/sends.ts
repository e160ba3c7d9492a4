// What each occurrence sends, and when: the one source the scheduler fires from and `sparring plan` shows.
// Pure: programme + plan + calendar in, sends out; no clock, no I/O.
import { DateTime, type Zone } from 'luxon';
import type { Calendar } from '../calendar/calendar.ts';
import type { Activity, ActivityKind, NoticeSettings, Programme, Role } from '../programme/schema.ts';
import { closeSummarised, closeSummarySend, summaryUsefulUntil } from './close-summaries.ts';
import { ANSWER_REMINDER_CARD, answerReminders, daysBeforeClose } from './answer-reminders.ts';
import { at } from './local-time.ts';
import { followedUp, preparedFor } from './prepares.ts';
import type { Occurrence, Plan } from './types.ts';

/**
 * `main` the occurrence's own card, `notice` the word ahead, `reminder` the morning of the day; for a form
 * with a deadline (Bilag B), `formReminder` the form again the day before it and `lateNotice` word to the
 * one waiting for it once it has passed: those two only while the form has not been sent. `closeSummary` the
 * summary of what the team answered, to the team channel at the close (close-summaries.ts). `answerReminder`: a
 * questionnaire or reflection some days before its close, to those who have not answered (src/scheduler/fan-out.ts).
 */
export type SendKind = 'main' | 'notice' | 'reminder' | 'formReminder' | 'lateNotice' | 'closeSummary' | 'answerReminder';

/** One card an occurrence causes, to some of its audience, at one instant. */
export interface Send {
  /**
   * What makes it once-only (the scheduler's claim, the outbox item's occurrence key): the occurrence id
   * for its own card, as before lead times existed, and `<id>#notice`, `<id>#reminder`, `<id>#summary` for the others.
   */
  key: string;
  occurrenceId: string;
  kind: SendKind;
  /** The card's name (src/cards/view-models.ts). */
  card: string;
  /** UTC instant, ISO 8601. */
  at: string;
  /** After this instant it is stale (the bot was down): not sent, only marked done. */
  until: string;
  audience: Role[];
  /** Skipped (marked done, not sent) when the occurrence's form has been sent by then. */
  onlyIfOpen?: true;
}

/** The card each kind posts as its own; kinds missing here have no card of their own, only a notice. */
export const MAIN_CARD: Partial<Record<ActivityKind, string>> = {
  practicePrompt: 'practice-prompt',
  reflectionPrompt: 'reflection-prompt',
  sparringMeeting: 'sparring-agenda',
  preVisitMail: 'pre-visit-form',
  questionnaire: 'questionnaire',
  idoArtDraft: 'ido-art-draft',
  actionPlan: 'action-plan',
  decisionMinutes: 'decision-minutes',
  learningConversation: 'learning-conversation',
  modulePart: 'module-part',
  task: 'task',
  summary: 'summary',
};

/** Kinds people meet at: they get a notice ahead (unless their own card is that) and a reminder on the day. */
export const NOTICE_KINDS: ReadonlySet<ActivityKind> = new Set(['meeting', 'themeMeeting', 'workshop', 'training', 'guidanceVisit', 'learningConversation']);

export const NOTICE_SUFFIX = '#notice';
export const REMINDER_SUFFIX = '#reminder';
export const FORM_REMINDER_SUFFIX = '#form-reminder';
export const LATE_SUFFIX = '#late';

/**
 * Bilag B: "senest syv dage før mødet" is the form's deadline (its occurrence's start). Not sent by the day
 * before it, the leaders get the form again; once it has passed, the guide is told the plan is late.
 */
const DEADLINE_FORMS: ReadonlySet<ActivityKind> = new Set(['preVisitMail']);
const FORM_REMINDER_DAYS_BEFORE = 1;
const LATE_NOTICE_AUDIENCE: Role[] = ['guide'];

/** The time of day a send ahead goes out, and the morning reminder's. */
export const DEFAULT_SEND_TIME = '08:00';
export const DEFAULT_REMINDER_TIME = '07:30';
/** A reminder never comes later than this before the start (a meeting at 07:30 is reminded at 07:00). */
const REMINDER_MIN_AHEAD_MINUTES = 30;

type Lead = Required<Pick<NoticeSettings, 'workingDays' | 'from' | 'time'>> & { audience?: Role[]; reminder: string | false };

/**
 * The defaults per kind; an activity's `notice` in the programme file overrides any of them. Notices 5 working
 * days ahead; the Bilag A agenda to the leader 5 working days ahead; the Bilag B form 10 working days before the
 * visit (so the leaders have time before the 7-day deadline); a Skolverket part's card when the previous
 * meeting ends (the first 5 working days ahead); a task or a beslutningsreferat 5 working days before its deadline. Prompts,
 * questionnaires and summaries at their start.
 */
export const DEFAULT_LEAD: Partial<Record<ActivityKind, Partial<Lead>>> = {
  meeting: { workingDays: 5, reminder: DEFAULT_REMINDER_TIME },
  themeMeeting: { workingDays: 5, reminder: DEFAULT_REMINDER_TIME },
  workshop: { workingDays: 5, reminder: DEFAULT_REMINDER_TIME },
  training: { workingDays: 5, reminder: DEFAULT_REMINDER_TIME },
  guidanceVisit: { workingDays: 5, reminder: DEFAULT_REMINDER_TIME },
  learningConversation: { workingDays: 5, reminder: DEFAULT_REMINDER_TIME },
  sparringMeeting: { workingDays: 5, audience: ['leader'], reminder: DEFAULT_REMINDER_TIME },
  preVisitMail: { workingDays: 10, from: 'target' },
  modulePart: { workingDays: 5, from: 'previousEnd', reminder: DEFAULT_REMINDER_TIME },
  task: { workingDays: 5 },
  decisionMinutes: { workingDays: 5 },
};

export function leadOf(activity: Activity): Lead {
  const defaults = DEFAULT_LEAD[activity.kind] ?? {};
  const own = activity.notice ?? {};
  const audience = own.audience ?? defaults.audience;
  return {
    workingDays: own.workingDays ?? defaults.workingDays ?? 0,
    from: own.from ?? defaults.from ?? 'start',
    time: own.time ?? defaults.time ?? DEFAULT_SEND_TIME,
    reminder: own.reminder ?? defaults.reminder ?? false,
    ...(audience ? { audience } : {}),
  };
}

/** Every occurrence's sends, in time order, by occurrence id. */
export function sendsOf(programme: Programme, plan: Plan, calendar: Calendar): Map<string, Send[]> {
  const activities = new Map(programme.phases.flatMap((p) => p.activities).map((a) => [a.id, a]));
  const result = new Map<string, Send[]>();
  const previous = new Map<string, Occurrence>();
  const summarised = closeSummarised(programme);
  for (const occurrence of plan.occurrences) {
    const activity = activities.get(occurrence.activityId);
    const sends = activity ? sendsFor(programme, activity, occurrence, plan, calendar, previous.get(activity.id)) : [];
    // At the close, after everything else the occurrence sends.
    if (activity && summarised.has(activity.id)) sends.push(closeSummarySend(activity, occurrence, calendar));
    result.set(occurrence.id, sends);
    previous.set(occurrence.activityId, occurrence);
  }
  return result;
}

/** Every send of every occurrence, in time order (the scheduler's list). */
export function allSends(sends: Map<string, Send[]>): Send[] {
  return [...sends.values()].flat().sort((a, b) => a.at.localeCompare(b.at) || a.key.localeCompare(b.key));
}

/** Whether a send due by now is still worth sending: a notice before its meeting, a reminder before it ends, a card on its day. */
export function sendIsStillUseful(send: Send, now: Date): boolean {
  return now.getTime() < Date.parse(send.until);
}

function sendsFor(programme: Programme, activity: Activity, occurrence: Occurrence, plan: Plan, calendar: Calendar, previous: Occurrence | undefined): Send[] {
  const lead = leadOf(activity);
  const zone = calendar.zone;
  const start = DateTime.fromISO(occurrence.start, { zone });
  const audience = lead.audience ? narrowed(occurrence.audience, lead.audience) : occurrence.audience;
  const sends: Send[] = [];
  const first = earliest(firstAt(activity, lead, occurrence, plan, calendar, previous), start);
  const main = MAIN_CARD[activity.kind];
  const noticed = NOTICE_KINDS.has(activity.kind) && !(main && lead.workingDays === 0);
  if (main) {
    // A card that is answered or read on its day stays useful to the end of that day (a window: to its close); a
    // summary of what the team answered, to the end of the next working day (a bot down on its day posts it then).
    const onItsDay = activity.windowDays ? occurrence.end : utc(start.endOf('day').plus({ milliseconds: 1 }));
    const until = main === 'summary' ? latest(onItsDay, utc(summaryUsefulUntil(calendar, start))) : onItsDay;
    // A kind with a notice ahead (the læringssamtale) still gets its own card at the start, as before.
    const mainAt = noticed ? start : first;
    sends.push({ key: occurrence.id, occurrenceId: occurrence.id, kind: 'main', card: main, at: utc(mainAt), until, audience: noticed || main === 'summary' ? occurrence.audience : audience });
  }
  if (noticed) sends.push({ key: `${occurrence.id}${NOTICE_SUFFIX}`, occurrenceId: occurrence.id, kind: 'notice', card: 'notice', at: utc(first), until: occurrence.start, audience });
  if (lead.reminder) {
    // The læringssamtale's own card at its start tells nothing ahead; a notice or card that morning does.
    const told = sends.filter((s) => !(noticed && s.kind === 'main')).map((s) => DateTime.fromISO(s.at, { zone }));
    const reminderAt = earliest(at(start, lead.reminder), start.minus({ minutes: REMINDER_MIN_AHEAD_MINUTES }));
    // Told on the day already: no reminder on top.
    if (told.every((t) => t < start.startOf('day'))) {
      sends.push({
        key: `${occurrence.id}${REMINDER_SUFFIX}`,
        occurrenceId: occurrence.id,
        kind: 'reminder',
        card: 'reminder',
        at: utc(reminderAt),
        until: occurrence.end,
        audience: occurrence.audience,
      });
    }
  }
  if (main && DEADLINE_FORMS.has(activity.kind)) sends.push(...deadlineSends(activity, occurrence, plan, zone, audience, Date.parse(sends[0]!.at)));
  const own = sends.find((s) => s.kind === 'main');
  if (own) {
    const close = DateTime.fromISO(occurrence.end, { zone });
    const before = (days: number) => workingDaysBefore(close, days, lead.time, calendar);
    for (const r of answerReminders(daysBeforeClose(programme, activity), occurrence, DateTime.fromISO(own.at, { zone }), close, before)) {
      sends.push({ key: r.key, occurrenceId: occurrence.id, kind: 'answerReminder', card: ANSWER_REMINDER_CARD, at: utc(r.at), until: occurrence.end, audience: occurrence.audience });
    }
  }
  return sends.sort((a, b) => a.at.localeCompare(b.at));
}

/** The form again the day before its deadline (when it went out before that), and the late notice at the deadline until the meeting. */
function deadlineSends(activity: Activity, occurrence: Occurrence, plan: Plan, zone: Zone, audience: Role[], formAt: number): Send[] {
  // The day before in the team's zone: 09:00 stays 09:00 across a change to summer time.
  const deadline = DateTime.fromISO(occurrence.start, { zone });
  const reminderAt = deadline.minus({ days: FORM_REMINDER_DAYS_BEFORE });
  const meeting = preparedFor(plan, activity, occurrence);
  const sends: Send[] = [];
  if (reminderAt.toMillis() > formAt) {
    const key = `${occurrence.id}${FORM_REMINDER_SUFFIX}`;
    sends.push({ key, occurrenceId: occurrence.id, kind: 'formReminder', card: MAIN_CARD[activity.kind]!, at: utc(reminderAt), until: occurrence.start, audience, onlyIfOpen: true });
  }
  if (meeting) {
    const key = `${occurrence.id}${LATE_SUFFIX}`;
    sends.push({ key, occurrenceId: occurrence.id, kind: 'lateNotice', card: 'plan-late', at: occurrence.start, until: meeting.start, audience: LATE_NOTICE_AUDIENCE, onlyIfOpen: true });
  }
  return sends;
}

/** When the first send goes out: working days back from the start (or the target's), or when the previous occurrence ends. */
function firstAt(activity: Activity, lead: Lead, occurrence: Occurrence, plan: Plan, calendar: Calendar, previous: Occurrence | undefined): DateTime {
  const zone = calendar.zone;
  if (lead.from === 'previousEnd' && previous) return DateTime.fromISO(previous.end, { zone });
  const anchor = (lead.from === 'target' && preparedFor(plan, activity, occurrence)?.start) || occurrence.start;
  const ahead = workingDaysBefore(DateTime.fromISO(anchor, { zone }), lead.workingDays, lead.time, calendar);
  // What follows up a meeting (its referat) never comes before the meeting is over, however far a break pushed the lead back.
  const followed = followedUp(plan, activity, occurrence);
  const over = followed && DateTime.fromISO(followed.end, { zone });
  return over && ahead < over ? over : ahead;
}

/**
 * `days` working days before `anchor`'s day, at `time`; 0 is the anchor itself. Up to two break weeks on the way are
 * stepped over (a notice goes out before the autumn break); a longer break is not: a meeting the first Monday
 * after the summer holidays is announced in the holidays' last week, not in June.
 */
export function workingDaysBefore(anchor: DateTime, days: number, time: string, calendar: Calendar): DateTime {
  if (days === 0) return anchor;
  const back = (counts: (day: DateTime) => boolean) => {
    let day = anchor.startOf('day');
    for (let counted = 0, guard = 0; counted < days && guard < 366; guard++) {
      day = day.minus({ days: 1 });
      if (counts(day)) counted++;
    }
    return day;
  };
  const latest = anchor.startOf('day').minus({ days: Math.ceil((days * 7) / 5) + 14 });
  let day = back((d) => calendar.isWorkingDay(d));
  if (day < latest) day = back((d) => d.weekday <= 5 && !calendar.isPublicHoliday(d));
  return at(day, time);
}

function narrowed(audience: Role[], to: Role[]): Role[] {
  const both = audience.filter((r) => to.includes(r));
  return both.length > 0 ? both : audience;
}

function earliest(a: DateTime, b: DateTime): DateTime {
  return a < b ? a : b;
}

/** The later of two ISO instants. */
function latest(a: string, b: string): string {
  return Date.parse(a) >= Date.parse(b) ? a : b;
}

function utc(dt: DateTime): string {
  return dt.toUTC().toISO({ suppressMilliseconds: true })!;
}
