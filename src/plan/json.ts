// The plan's JSON contract (README "Plan JSON"): other tools read it, so fields change only by addition.
import { DateTime } from 'luxon';
import type { Locale, Programme } from '../domain/programme/schema.ts';
import type { DigestSend } from '../domain/timeline/digests.ts';
import type { Send } from '../domain/timeline/sends.ts';
import type { Plan } from '../domain/timeline/types.ts';
import { activitiesById } from '../domain/programme/activities.ts';
import { occurrenceTitle, warningText } from './localize.ts';

/**
 * `sends` (domain/timeline/sends.ts): every card each occurrence causes, listed with it in time order; `digests`
 * (domain/timeline/digests.ts): the run's monthly digests to the leaders.
 */
export function planToJson(plan: Plan, programme: Programme, locale: Locale, sends?: ReadonlyMap<string, Send[]>, digests?: readonly DigestSend[]) {
  const activities = activitiesById(programme);
  const local = (instant: string) => DateTime.fromISO(instant, { zone: plan.timezone }).toISO({ suppressMilliseconds: true });
  return {
    programme: plan.programmeId,
    timezone: plan.timezone,
    start: plan.start,
    locale,
    settings: plan.settings,
    hours: plan.hours,
    warnings: plan.warnings.map((w) => warningText(w, activities, locale)),
    occurrences: plan.occurrences.map((o) => {
      const activity = activities.get(o.activityId)!;
      return {
        id: o.id,
        activity: o.activityId,
        kind: o.kind,
        title: occurrenceTitle(activity, o, locale),
        start: local(o.start),
        end: local(o.end),
        weeks: o.weeks,
        part: o.part ?? null,
        moments: o.moments ?? [],
        audience: o.audience,
        questions: activity.questions.map((q) => ({ id: q.id, text: q.text[locale], answer: q.answer })),
        agenda: activity.agenda.map((a) => a[locale]),
        anonymous: activity.anonymous,
        ...(sends ? { sends: (sends.get(o.id) ?? []).map((s) => ({ at: local(s.at), kind: s.kind, card: s.card, audience: s.audience })) } : {}),
      };
    }),
    ...(digests ? { digests: digests.map((d) => ({ month: d.month, at: local(d.at), card: d.card, audience: d.audience })) } : {}),
  };
}

export type PlanJson = ReturnType<typeof planToJson>;
