// Builders for tests: built-in programmes, small made-up programmes, and local views of a plan.
import type { Run } from '../../src/app/ports.ts';
import { DateTime } from 'luxon';
import { createCalendar, type CalendarOptions } from '../../src/domain/calendar/calendar.ts';
import { programmeSchema, type Programme } from '../../src/domain/programme/schema.ts';
import { buildPlan } from '../../src/domain/timeline/plan.ts';
import type { Occurrence, Plan } from '../../src/domain/timeline/types.ts';
import { loadProgrammes } from '../../src/programmes/load.ts';

const builtIn = loadProgrammes();

export function programme(id: string): Programme {
  const found = builtIn.get(id);
  if (!found) throw new Error(`no built-in programme ${id}`);
  return found;
}

const text = (s: string) => ({ da: s, sv: s, en: s });

/** A one-phase programme around the given activities; fields the test does not care about are filled in. */
export function tinyProgramme(activities: Record<string, unknown>[]): Programme {
  return programmeSchema.parse({
    schemaVersion: 1,
    id: 'tiny',
    language: 'da',
    title: text('Tiny'),
    summary: text('A test programme'),
    source: 'test',
    lengthMonths: 1,
    phases: [
      {
        id: 'only',
        title: text('Only'),
        activities: activities.map((a) => ({ title: text(String(a.id)), audience: ['staff'], durationMinutes: 60, kind: 'meeting', ...a })),
      },
    ],
  });
}

export function plan(p: Programme, start: string, calendar: CalendarOptions, settings: Record<string, string> = {}): Plan {
  return buildPlan(p, { start, settings }, createCalendar(calendar));
}

/** An occurrence's start as the team sees it. */
export function localStart(o: Occurrence, zone = 'Europe/Copenhagen'): DateTime {
  return DateTime.fromISO(o.start, { zone });
}

export function ofActivity(p: Plan, activityId: string): Occurrence[] {
  return p.occurrences.filter((o) => o.activityId === activityId);
}

/**
 * A team's run for a test: the fields a test cares about, and a Danish team in Copenhagen's zone, active,
 * with no settings, for the rest.
 */
export function aRun(fields: Pick<Run, 'team' | 'programmeId' | 'start' | 'members'> & Partial<Run>): Run {
  return { settings: {}, timeZone: 'Europe/Copenhagen', country: 'DK', locale: 'da', active: true, ...fields };
}
