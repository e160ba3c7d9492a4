// The usual school breaks (and a workplace's Christmas closing) as date rules per school year, so that
// every year gets the right days whatever its ISO week numbering (a week 53, Easter moving about).
// A school year Y runs from August Y to June Y+1; its rules give each break's first and last day (inclusive).
// These are the common dates; a municipality that differs says so with the run's own closed days.
import type { DateTime } from 'luxon';
import type { Country } from './calendar.ts';

export type BreakKind = 'autumn' | 'christmas' | 'winter' | 'easter' | 'summer' | 'other';

/** `school`: the school year's breaks; `workplace` (day-care, companies): only 24–31 December besides public holidays. */
export const CALENDAR_KINDS = ['school', 'workplace'] as const;
export type CalendarKind = (typeof CALENDAR_KINDS)[number];

/** Swedish sportlov falls in one of weeks 7–10 by region (län/kommun). */
export const SPORTLOV_WEEKS = [7, 8, 9, 10] as const;
/** Week 9 is the sportlov of Stockholm, the most populous region (Skolverket: v7–10 by region; the seed's tables). */
export const DEFAULT_SPORTLOV_WEEK = 9;

export interface BreakContext {
  /** Midnight of a local date in the calendar's zone. */
  date(year: number, month: number, day: number): DateTime;
  /** The Monday of an ISO week. */
  week(weekYear: number, week: number): DateTime;
  /** Easter Sunday of a year, from date-holidays. */
  easter(year: number): DateTime;
  sportlovWeek: number;
}

interface BreakRule {
  kind: BreakKind;
  /** First and last day (inclusive) in school year `y` (August y – June y+1). */
  days(y: number, c: BreakContext): [DateTime, DateTime];
}

const weekOf = (c: BreakContext, weekYear: number, week: number): [DateTime, DateTime] => [c.week(weekYear, week), c.week(weekYear, week).plus({ days: 4 })];

/** The last `weekday` (1 = Monday … 7 = Sunday) on or before a day. */
const onOrBefore = (day: DateTime, weekday: number) => day.minus({ days: (day.weekday - weekday + 7) % 7 });
/** The first `weekday` on or after a day. */
const onOrAfter = (day: DateTime, weekday: number) => day.plus({ days: (weekday - day.weekday + 7) % 7 });

const DK_SCHOOL: BreakRule[] = [
  // Efterårsferie: week 42 everywhere (KL's recommended ferieplan; all municipalities follow it).
  { kind: 'autumn', days: (y, c) => weekOf(c, y, 42) },
  // Juleferie: 21 December to 1 January inclusive; schools reopen on the first weekday after New Year
  // (2 January, or the Monday after when that is a weekend), so 4–8 January 2027 is a school week.
  { kind: 'christmas', days: (y, c) => [c.date(y, 12, 21), c.date(y + 1, 1, 1)] },
  // Vinterferie: week 7 in most municipalities (a few use week 8; they add their own closed days).
  { kind: 'winter', days: (y, c) => weekOf(c, y + 1, 7) },
  // Påskeferie: Monday to Wednesday before Skærtorsdag; Skærtorsdag, Langfredag and Anden påskedag are
  // public holidays in date-holidays already.
  { kind: 'easter', days: (y, c) => [c.easter(y + 1).minus({ days: 6 }), c.easter(y + 1).plus({ days: 1 })] },
  // Sommerferie: from the last Saturday of June to the Sunday before the second Monday of August
  // (first school day: 10 Aug 2026, 9 Aug 2027, 14 Aug 2028 — the usual KL ferieplan, weeks 32–33).
  {
    kind: 'summer',
    days: (y, c) => [onOrBefore(c.date(y + 1, 6, 30), 6), onOrAfter(c.date(y + 1, 8, 1), 1).plus({ weeks: 1, days: -1 })],
  },
];

const SE_SCHOOL: BreakRule[] = [
  // Höstlov (läslov): week 44 in almost every municipality (the seed: "höstlov/läslov v44").
  { kind: 'autumn', days: (y, c) => weekOf(c, y, 44) },
  // Jullov: from 21 December (the autumn term ends about 18–20 December) until the spring term starts on
  // the first weekday after Trettondedag jul (6 January) — or the Monday after, when that weekday is a
  // Friday. So 14–18 December 2026 is still school, and school starts again on 7 January 2027.
  {
    kind: 'christmas',
    days: (y, c) => {
      let start = c.date(y + 1, 1, 7);
      while (start.weekday > 5) start = start.plus({ days: 1 });
      if (start.weekday === 5) start = start.plus({ days: 3 });
      return [c.date(y, 12, 21), start.minus({ days: 1 })];
    },
  },
  // Sportlov: one of weeks 7–10 by region; the run's setting, week 9 by default.
  { kind: 'winter', days: (y, c) => weekOf(c, y + 1, c.sportlovWeek) },
  // Påsklov: the week after Easter Sunday (Monday = annandag påsk), the most common rule (Stockholm,
  // Göteborg); Långfredagen before it is a public holiday.
  { kind: 'easter', days: (y, c) => [c.easter(y + 1).plus({ days: 1 }), c.easter(y + 1).plus({ days: 5 })] },
  // Sommarlov: from the Saturday after the last school day, the Friday of ISO week 24 (12 June 2026,
  // 18 June 2027), through 16 August; the autumn term starts about 17–20 August.
  { kind: 'summer', days: (y, c) => [c.week(y + 1, 24).plus({ days: 5 }), c.date(y + 1, 8, 16)] },
];

// Workplaces and day-care (Odense's børnehuse, SEVU's companies) stay open in the school breaks; only the
// days between Christmas and New Year are closed besides public holidays.
const WORKPLACE: BreakRule[] = [{ kind: 'christmas', days: (y, c) => [c.date(y, 12, 24), c.date(y, 12, 31)] }];

const RULES: Record<CalendarKind, Record<Country, BreakRule[]>> = {
  school: { DK: DK_SCHOOL, SE: SE_SCHOOL },
  workplace: { DK: WORKPLACE, SE: WORKPLACE },
};

/**
 * Days that are closed although date-holidays types them "observance": Grundlovsdag (5 June) closes
 * schools, day-care and most workplaces in Denmark.
 */
export const EXTRA_CLOSED: Record<Country, { month: number; day: number }[]> = {
  DK: [{ month: 6, day: 5 }],
  SE: [],
};

/** Every break day of school year `y`, as local ISO date → kind. */
export function breakDaysOf(country: Country, kind: CalendarKind, y: number, c: BreakContext): Map<string, BreakKind> {
  const days = new Map<string, BreakKind>();
  for (const rule of RULES[kind][country]) {
    const [first, last] = rule.days(y, c);
    for (let d = first; d <= last; d = d.plus({ days: 1 })) days.set(d.toISODate()!, rule.kind);
  }
  return days;
}

/** Names a break by when it falls, for a team's own list of break weeks that carries only week numbers. */
export function breakKindOfWeek(week: number): BreakKind {
  if (week >= 40 && week <= 46) return 'autumn';
  if (week >= 50 || week <= 2) return 'christmas';
  if (week >= 6 && week <= 11) return 'winter';
  if (week >= 12 && week <= 17) return 'easter';
  if (week >= 25 && week <= 34) return 'summer';
  return 'other';
}
