// iCalendar export. Events carry UTC instants, which every calendar app shows in the viewer's local time.
import ical from 'ical-generator';
import type { Locale, Programme } from '../domain/programme/schema.ts';
import type { Plan } from '../domain/timeline/types.ts';
import { activitiesById } from '../domain/programme/activities.ts';
import { occurrenceTitle } from './localize.ts';

export function planToIcs(plan: Plan, programme: Programme, locale: Locale): string {
  const activities = activitiesById(programme);
  const calendar = ical({
    name: programme.title[locale],
    prodId: { company: 'Sparringsbot', product: 'sparring plan', language: locale.toUpperCase() },
  });
  for (const o of plan.occurrences) {
    const activity = activities.get(o.activityId)!;
    const lines = [activity.text?.[locale], ...activity.agenda.map((a) => `• ${a[locale]}`), ...activity.questions.map((q) => `• ${q.text[locale]}`)];
    calendar.createEvent({
      // Stable across exports, so re-importing a plan updates events instead of duplicating them.
      id: `${plan.programmeId}/${plan.start}/${o.id}@sparringsbot`,
      start: new Date(o.start),
      end: new Date(o.end),
      stamp: new Date(`${plan.start}T00:00:00Z`),
      summary: occurrenceTitle(activity, o, locale),
      description: lines.filter(Boolean).join('\n'),
    });
  }
  return calendar.toString();
}
