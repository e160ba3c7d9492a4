import { type AnyCard, type CardContext, cardFor, noticeCardFor, planLateCardFor, reminderCardFor } from '../cards/from-activity.ts';
import type { Activity, Programme } from '../domain/programme/schema.ts';
import { calendarFor } from '../domain/timeline/run-calendar.ts';
import { followedUp, preparedFor } from '../domain/timeline/prepares.ts';
import { allSends, type Send, sendsOf } from '../domain/timeline/sends.ts';
import type { Occurrence, Plan } from '../domain/timeline/types.ts';
import type { ViewModelInput } from '../cards/view-models.ts';
import { planLateMail } from '../mail/pre-visit-mail.ts';
import { leadersToldIfUndelivered } from './effects.ts';
import type { NewWorkItem, Run } from './ports.ts';

/**
 * The card of an occurrence as the team gets it: with the guide's name, the date it prepares for, and
 * whether a mail can reach the guide. The scheduler sends it; a platform that shows a form apart from its
 * message (Slack's modals) builds it again from here.
 */
export function occurrenceCard(run: Run, programme: Programme, plan: Plan, activity: Activity, occurrence: Occurrence, canMail: boolean, documents: Partial<CardContext> = {}): AnyCard | undefined {
  const guide = run.members.find((m) => m.roles.includes('guide'));
  const targetStart = (preparedFor(plan, activity, occurrence) ?? followedUp(plan, activity, occurrence))?.start;
  return cardFor({
    ...documents,
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
export function sendCard(
  run: Run,
  programme: Programme,
  plan: Plan,
  activity: Activity,
  occurrence: Occurrence,
  send: Send,
  options: { canMail: boolean; calendarUrl?: string; documents?: Partial<CardContext> },
): AnyCard | undefined {
  if (send.kind === 'main') return occurrenceCard(run, programme, plan, activity, occurrence, options.canMail, options.documents);
  if (send.kind === 'formReminder') {
    const card = occurrenceCard(run, programme, plan, activity, occurrence, options.canMail, options.documents);
    return card?.name === 'pre-visit-form' ? { ...card, data: { ...card.data, reminder: true } } : card;
  }
  const ctx = { programme, activity, occurrence, locale: run.locale, timeZone: run.timeZone, ...(options.calendarUrl ? { calendarUrl: options.calendarUrl } : {}) };
  if (send.kind === 'lateNotice') {
    const meeting = preparedFor(plan, activity, occurrence);
    return meeting ? planLateCardFor({ ...ctx, targetStart: meeting.start }) : undefined;
  }
  return send.kind === 'notice' ? noticeCardFor(ctx, send.audience) : reminderCardFor(ctx);
}

/**
 * Whether the occurrence's own card is out by now: from its send (a lead time can send it before the
 * occurrence starts: the Bilag B form, a Skolverket part), or from the start for a kind with none.
 */
export function ownCardOut(team: { run: Run; programme: Programme; plan: Plan }, occurrence: Occurrence, now: Date): boolean {
  return Date.parse(ownCardAt(team, occurrence)) <= now.getTime();
}

/** When the occurrence's own card goes out: its send's time, or its start for a kind with none. */
export function ownCardAt(team: { run: Run; programme: Programme; plan: Plan }, occurrence: Occurrence): string {
  return runSends(team.run, team.programme, team.plan).find((s) => s.key === occurrence.id)?.at ?? occurrence.start;
}

/** The late notice of a plan goes to the guide by mail where the guide has an address (a guide from outside rarely has the team's chat), else as the card. */
export function planLateItems(run: Run, key: string, late: ViewModelInput<'plan-late'>, recipients: string[]): NewWorkItem[] {
  return recipients.map((recipient) => {
    const email = run.members.find((m) => m.userId === recipient)?.email;
    if (!email) return { team: run.team, occurrenceId: key, recipient, card: { name: 'plan-late', data: late, locale: run.locale, timeZone: run.timeZone } };
    const mail = planLateMail({ to: email, locale: run.locale, timeZone: run.timeZone, visitAt: late.visitAt, dueAt: late.dueAt });
    // Refused for good, the leaders hear of it: the guide does not know the plan is late.
    return { team: run.team, occurrenceId: key, recipient: `mail:${email}`, mail, ifUndelivered: leadersToldIfUndelivered(run, { title: late.title, to: email, mail: 'late' }) };
  });
}
