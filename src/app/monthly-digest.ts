import { DateTime } from 'luxon';
import type { ViewModelInput } from '../cards/view-models.ts';
import { activitiesById, collectsReplies } from '../domain/programme/activities.ts';
import type { Programme, Role } from '../domain/programme/schema.ts';
import { audienceOf } from '../domain/roles/audience.ts';
import { type DigestSend, digestSends } from '../domain/timeline/digests.ts';
import { preparedFor } from '../domain/timeline/prepares.ts';
import { calendarFor } from '../domain/timeline/run-calendar.ts';
import type { Occurrence, Plan } from '../domain/timeline/types.ts';
import { FORM_KINDS, formSent } from './form-state.ts';
import { ownCardAt } from './occurrence-card.ts';
import type { ReplyStore, Run } from './ports.ts';
import type { DocumentStore, HoursStore } from './store-ports.ts';

type DigestDeps = { store: Pick<ReplyStore, 'hasAnswered'> & Pick<DocumentStore, 'getDocument' | 'documentVersions'> & Pick<HoursStore, 'hours'> };

/** "What comes next" lists this many activities: an overview, not the plan (`/sparring plan` has that). */
export const DIGEST_NEXT_SHOWN = 8;

/** A run's digests, computed once per plan (planOf shares plans between ticks). */
const digestsByPlan = new WeakMap<Plan, DigestSend[]>();
export function runDigests(run: Pick<Run, 'country' | 'timeZone' | 'calendar'>, programme: Programme, plan: Plan): DigestSend[] {
  let digests = digestsByPlan.get(plan);
  if (!digests) {
    // The calendar the plan was made with (see planOf): working days for the send day.
    digests = digestSends(plan, calendarFor(programme, { country: run.country, timezone: run.timeZone, calendar: run.calendar }));
    digestsByPlan.set(plan, digests);
  }
  return digests;
}

/**
 * The leaders' overview of one month, as it stands `now`: participation per activity of the month (counts of
 * the people asked who answered, never who: for anonymous activities the store's markers tell, as for
 * `/sparring status`), the forms out and not sent, the hours booked so far, and what the coming month holds.
 */
export async function digestCard(deps: DigestDeps, run: Run, programme: Programme, plan: Plan, digest: Pick<DigestSend, 'month'>, now: Date) {
  const zone = run.timeZone;
  const locale = run.locale;
  const activities = activitiesById(programme);
  const month = DateTime.fromISO(`${digest.month}-01`, { zone });
  const following = month.plus({ months: 1 });
  const within = (o: Occurrence, from: DateTime, to: DateTime) => Date.parse(o.start) >= from.toMillis() && Date.parse(o.start) < to.toMillis();

  // Participation: the month's occurrences that ask for answers, summed per activity in the order they came.
  const participation = new Map<string, { title: string; answered: number; invited: number; times: number }>();
  for (const o of plan.occurrences) {
    if (!collectsReplies(o.kind) || !within(o, month, following) || Date.parse(o.start) > now.getTime()) continue;
    const activity = activities.get(o.activityId)!;
    const invited = audienceOf(run.members, activity);
    const answered = await deps.store.hasAnswered(run.team, o.id, invited);
    const row = participation.get(activity.id) ?? { title: activity.title[locale], answered: 0, invited: 0, times: 0 };
    participation.set(activity.id, { ...row, answered: row.answered + answered.size, invited: row.invited + invited.length, times: row.times + 1 });
  }

  const openForms: Array<{ title: string; dueAt?: string }> = [];
  for (const o of plan.occurrences) {
    if (!FORM_KINDS.has(o.kind)) continue;
    const activity = activities.get(o.activityId)!;
    const meeting = preparedFor(plan, activity, o);
    // Out, and not moot yet: the meeting it prepares has not been held.
    const cardAt = ownCardAt({ run, programme, plan }, o);
    if (Date.parse(cardAt) > now.getTime() || (meeting && Date.parse(meeting.start) <= now.getTime())) continue;
    if (await formSent(deps.store, run.team, activity, o.id, cardAt)) continue;
    // Bilag B's deadline is its own start (seven days before the visit); another form's, the meeting it prepares.
    const dueAt = o.kind === 'preVisitMail' ? o.start : meeting?.start;
    openForms.push({ title: activity.title[locale], ...(dueAt ? { dueAt } : {}) });
  }

  const byRole = new Map<string, number>();
  for (const entry of await deps.store.hours(run.team)) byRole.set(entry.role, (byRole.get(entry.role) ?? 0) + entry.hours);
  const hours = [...byRole].sort(([a], [b]) => roleOrder(a) - roleOrder(b) || a.localeCompare(b)).map(([role, sum]) => ({ role, hours: rounded(sum) }));

  // What comes next: the following month's activities from now, each once with its first date and how often.
  const upcoming = new Map<string, { title: string; at: string; times: number }>();
  const nextEnd = following.plus({ months: 1 });
  for (const o of plan.occurrences) {
    if (Date.parse(o.start) <= now.getTime() || !within(o, following, nextEnd)) continue;
    const row = upcoming.get(o.activityId);
    upcoming.set(o.activityId, row ? { ...row, times: row.times + 1 } : { title: activities.get(o.activityId)!.title[locale], at: o.start, times: 1 });
  }
  const next = [...upcoming.values()];

  const data: ViewModelInput<'digest'> = {
    programmeTitle: programme.title[locale],
    month: month.toISODate()!,
    participation: [...participation.values()],
    openForms,
    hours: { total: rounded(hours.reduce((sum, h) => sum + h.hours, 0)), byRole: hours },
    next: next.slice(0, DIGEST_NEXT_SHOWN),
    moreNext: Math.max(0, next.length - DIGEST_NEXT_SHOWN),
  };
  return { name: 'digest' as const, data };
}

const ROLE_ORDER: readonly Role[] = ['staff', 'leader', 'facilitator', 'consultant', 'guide'];
const roleOrder = (role: string) => {
  const i = ROLE_ORDER.indexOf(role as Role);
  return i === -1 ? ROLE_ORDER.length : i;
};

/** Hours to the hundredth: sums of quarters and tenths keep no binary tails (0.1 + 0.2). */
const rounded = (hours: number) => Math.round(hours * 100) / 100;
