// iCalendar export. Events carry UTC instants by default, which every calendar app shows in the viewer's local time;
// with a time zone (the calendar links) they are written in that zone, with its VTIMEZONE.
import ical from 'ical-generator';
import { DateTime } from 'luxon';
import type { Locale, Programme } from '../domain/programme/schema.ts';
import type { Plan } from '../domain/timeline/types.ts';
import { activitiesById } from '../domain/programme/activities.ts';
import { occurrenceTitle } from './localize.ts';
import { vtimezone } from './vtimezone.ts';

/** `timeZone`: the events in that zone's wall-clock time, with its VTIMEZONE (the calendar links); default UTC instants. */
export function planToIcs(plan: Plan, programme: Programme, locale: Locale, options: { timeZone?: string } = {}): string {
  const activities = activitiesById(programme);
  const zone = options.timeZone;
  const years = plan.occurrences.map((o) => Number(o.start.slice(0, 4)));
  const calendar = ical({
    name: programme.title[locale],
    prodId: { company: 'Sparringsbot', product: 'sparring plan', language: locale.toUpperCase() },
  });
  const at = (instant: string) => (zone ? DateTime.fromISO(instant, { zone }) : new Date(instant));
  for (const o of plan.occurrences) {
    const activity = activities.get(o.activityId)!;
    const lines = [activity.text?.[locale], ...activity.agenda.map((a) => `• ${a[locale]}`), ...activity.questions.map((q) => `• ${q.text[locale]}`)];
    calendar.createEvent({
      // Stable across exports, so re-importing a plan updates events instead of duplicating them.
      id: `${plan.programmeId}/${plan.start}/${o.id}@sparringsbot`,
      start: at(o.start),
      end: at(o.end),
      ...(zone ? { timezone: zone } : {}),
      stamp: new Date(`${plan.start}T00:00:00Z`),
      summary: occurrenceTitle(activity, o, locale),
      description: lines.filter(Boolean).join('\n'),
    });
  }
  const text = calendar.toString();
  // The zone's definition goes in by hand: ical-generator's own would also write DTSTAMP in local time, not UTC.
  return zone && years.length > 0 ? text.replace('BEGIN:VEVENT', `${vtimezone(zone, Math.min(...years), Math.max(...years))}\r\nBEGIN:VEVENT`) : text;
}
