// A readable agenda grouped by month and week, with break weeks shown where they interrupt the plan.
import { DateTime } from 'luxon';
import type { Locale, Programme, Role } from '../domain/programme/schema.ts';
import type { Send } from '../domain/timeline/sends.ts';
import type { Occurrence, Plan } from '../domain/timeline/types.ts';
import { breakWeekKind, type Calendar } from '../domain/calendar/calendar.ts';
import { messagesFor } from '../i18n/messages.ts';
import { activitiesById } from '../domain/programme/activities.ts';
import { occurrenceTitle, warningText } from './localize.ts';

interface Line {
  at: DateTime;
  weeks: number[];
  text: string;
}

export function planToText(plan: Plan, programme: Programme, locale: Locale, calendar: Calendar, sends?: ReadonlyMap<string, Send[]>): string {
  const t = messagesFor(locale);
  const activities = activitiesById(programme);
  const local = (instant: string) => DateTime.fromISO(instant, { zone: calendar.zone }).setLocale(t.intlLocale);
  // Days and times as the language writes them: "man. 7. sep." and "13.00" in Danish, "mån 7 sep." and "13:00" in Swedish.
  const day = (at: DateTime) => at.toLocaleString({ weekday: 'short', day: 'numeric', month: 'short' });
  const time = (at: DateTime) => at.toLocaleString({ hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const roles = (audience: Role[]) => audience.map((r) => t.plan.roles[r]).join(', ');

  const lines: Line[] = [];
  for (const series of seriesOf(plan.occurrences)) {
    const first = series[0]!;
    const activity = activities.get(first.activityId)!;
    const start = local(first.start);
    const title = occurrenceTitle(activity, first, locale);
    let when: string;
    if (series.length > 1) {
      const last = local(series.at(-1)!.start);
      when = `${day(start)} – ${day(last)}, ${t.plan.everyWorkingDay(series.length, time(start))}`;
    } else if (activity.windowDays) {
      when = `${t.plan.dayAt(day(start), time(start))}, ${t.plan.opensFor(activity.windowDays)}${activity.anonymous ? `, ${t.plan.anonymous}` : ''}`;
    } else {
      when = t.plan.dayAtSpan(day(start), time(start), time(local(first.end)));
    }
    const weeks = [...new Set(series.flatMap((o) => o.weeks))];
    const firstSend = sends?.get(first.id)?.[0];
    const sent = firstSend ? `  ${t.plan.firstSend(firstSend.card, t.plan.dayAt(day(local(firstSend.at)), time(local(firstSend.at))))}` : '';
    const nudges = (sends?.get(first.id) ?? []).filter((s) => s.kind === 'answerReminder').map((s) => t.plan.dayAt(day(local(s.at)), time(local(s.at))));
    const reminded = nudges.length > 0 ? `; ${t.plan.answerReminders(nudges)}` : '';
    lines.push({ at: start, weeks, text: `${when}  ${title}  [${roles(first.audience)}]${sent}${reminded}` });
  }
  lines.push(...breakLines(plan, lines, calendar, locale));
  lines.sort((a, b) => a.at.toMillis() - b.at.toMillis());

  const out: string[] = [t.plan.heading(programme.title[locale], plan.start, plan.timezone)];
  const chosen = programme.settings.map((s) => `${s.label[locale]}: ${s.choices.find((c) => c.value === plan.settings[s.id])?.label[locale]}`);
  if (chosen.length > 0) out.push(`${t.plan.settings}: ${chosen.join('; ')}`);
  const hours = Object.entries(plan.hours).map(([role, h]) => t.plan.hoursLine(t.plan.roles[role as Role], h));
  out.push(`${t.plan.hours}: ${hours.join(', ')}`);
  let month = '';
  for (const line of lines) {
    const heading = line.at.toFormat('LLLL yyyy');
    if (heading !== month) out.push('', heading);
    month = heading;
    out.push(`  ${`${t.plan.week} ${weekRange(line.weeks)}`.padEnd(14)}${line.text}`);
  }
  if (lines.length === 0) out.push('', t.plan.noOccurrences);
  if (plan.warnings.length > 0) out.push('', `${t.plan.warnings}:`, ...plan.warnings.map((w) => `  - ${warningText(w, activities, locale)}`));
  return `${out.join('\n')}\n`;
}

/** Consecutive daily prompts of one activity read better as one line than as twenty. */
function seriesOf(occurrences: Occurrence[]): Occurrence[][] {
  const byActivity = new Map<string, Occurrence[]>();
  const result: Occurrence[][] = [];
  for (const o of occurrences) {
    if (o.kind !== 'practicePrompt') {
      result.push([o]);
      continue;
    }
    let series = byActivity.get(o.activityId);
    if (!series) {
      series = [];
      byActivity.set(o.activityId, series);
      result.push(series);
    }
    series.push(o);
  }
  return result;
}

function weekRange(weeks: number[]): string {
  if (weeks.length === 0) return '';
  return weeks.length === 1 ? String(weeks[0]) : `${weeks[0]}–${weeks.at(-1)}`;
}

/** One line per run of break weeks that falls between the plan's first and last line. */
function breakLines(plan: Plan, lines: Line[], calendar: Calendar, locale: Locale): Line[] {
  if (lines.length === 0) return [];
  const t = messagesFor(locale);
  const times = lines.map((l) => l.at.toMillis());
  const first = DateTime.fromMillis(Math.min(...times), { zone: plan.timezone })
    .setLocale(t.intlLocale)
    .startOf('week');
  const last = DateTime.fromMillis(Math.max(...times), { zone: plan.timezone });
  const result: Line[] = [];
  let current: Line | undefined;
  for (let monday = first; monday <= last; monday = monday.plus({ weeks: 1 })) {
    const kind = breakWeekKind(calendar, monday);
    if (!kind) {
      current = undefined;
      continue;
    }
    if (current && current.text === t.plan.breaks[kind]) current.weeks.push(monday.weekNumber);
    else {
      current = { at: monday, weeks: [monday.weekNumber], text: t.plan.breaks[kind] };
      result.push(current);
    }
  }
  return result;
}
