import { type AnyCard, cardFor, noticeCardFor, reminderCardFor } from '../cards/from-activity.ts';
import type { Activity, Programme } from '../domain/programme/schema.ts';
import { calendarFor } from '../domain/timeline/run-calendar.ts';
import { allSends, type Send, sendsOf } from '../domain/timeline/sends.ts';
import type { Occurrence, Plan } from '../domain/timeline/types.ts';
import type { Run } from './ports.ts';

/**
 * The card of an occurrence as the team gets it: with the guide's name, the date it prepares for, and
 * whether a mail can reach the guide. The scheduler sends it; a platform that shows a form apart from its
 * message (Slack's modals) builds it again from here.
 */
export function occurrenceCard(run: Run, programme: Programme, plan: Plan, activity: Activity, occurrence: Occurrence, canMail: boolean): AnyCard | undefined {
  const guide = run.members.find((m) => m.roles.includes('guide'));
  const target = activity.timing.type === 'before' ? activity.timing.activity : undefined;
  const targetStart = target && plan.occurrences.find((o) => o.activityId === target && Date.parse(o.start) > Date.parse(occurrence.start))?.start;
  return cardFor({
    programme,
    activity,
    occurrence,
    locale: run.locale,
    timeZone: run.timeZone,
    mailRoute: Boolean(canMail && guide?.email),
    ...(guide ? { guideName: guide.name ?? guide.userId } : {}),
    ...(targetStart ? { targetStart } : {}),
  });
}

/** A run's sends in time order, computed once per plan (planOf shares plans between ticks). */
const sendsByPlan = new WeakMap<Plan, Send[]>();
export function runSends(run: Pick<Run, 'country' | 'timeZone' | 'calendar'>, programme: Programme, plan: Plan): Send[] {
  let sends = sendsByPlan.get(plan);
  if (!sends) {
    // The calendar the plan was made with (see planOf): working days for the lead times.
    sends = allSends(sendsOf(programme, plan, calendarFor(programme, { country: run.country, timezone: run.timeZone, calendar: run.calendar })));
    sendsByPlan.set(plan, sends);
  }
  return sends;
}

/** The card one send posts: the occurrence's own, its notice ahead, or the reminder on the day. */
export function sendCard(run: Run, programme: Programme, plan: Plan, activity: Activity, occurrence: Occurrence, send: Send, options: { canMail: boolean; calendarUrl?: string }): AnyCard | undefined {
  if (send.kind === 'main') return occurrenceCard(run, programme, plan, activity, occurrence, options.canMail);
  const ctx = { programme, activity, occurrence, locale: run.locale, timeZone: run.timeZone, ...(options.calendarUrl ? { calendarUrl: options.calendarUrl } : {}) };
  return send.kind === 'notice' ? noticeCardFor(ctx, send.audience) : reminderCardFor(ctx);
}

/**
 * Whether the occurrence's own card is out by now: from its send (a lead time can send it before the
 * occurrence starts: the Bilag B form, a Skolverket part), or from the start for a kind with none.
 */
export function ownCardOut(team: { run: Run; programme: Programme; plan: Plan }, occurrence: Occurrence, now: Date): boolean {
  const own = runSends(team.run, team.programme, team.plan).find((s) => s.key === occurrence.id);
  return Date.parse(own?.at ?? occurrence.start) <= now.getTime();
}
