// Properties every plan of every built-in programme must have, whatever the start date, country, zone,
// break weeks and settings a team picks: the examples in the other tests cannot cover that space.
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { COUNTRIES, createCalendar, type CalendarOptions } from '../../../src/domain/calendar/calendar.ts';
import type { Programme } from '../../../src/domain/programme/schema.ts';
import { buildPlan } from '../../../src/domain/timeline/plan.ts';
import { loadProgrammes } from '../../../src/programmes/load.ts';

const programmes = [...loadProgrammes().values()];

// Teams in the two supported countries, plus zones far from the defaults (the CLI accepts any IANA zone).
const ZONES = ['Europe/Copenhagen', 'Europe/Stockholm', 'UTC', 'America/New_York', 'Asia/Tokyo'] as const;
const FIRST_DAY = DateTime.fromISO('2025-01-01', { zone: 'UTC' });
const DAYS = Math.round(DateTime.fromISO('2030-12-31', { zone: 'UTC' }).diff(FIRST_DAY, 'days').days);

const startDate = fc.integer({ min: 0, max: DAYS }).map((d) => FIRST_DAY.plus({ days: d }).toISODate()!);

const calendarOptions: fc.Arbitrary<CalendarOptions> = fc.record({
  country: fc.constantFrom(...COUNTRIES),
  timezone: fc.constantFrom(...ZONES),
  // undefined: the country's default breaks; otherwise the team's own list, possibly empty.
  breakWeeks: fc.option(fc.uniqueArray(fc.integer({ min: 1, max: 53 }), { maxLength: 10 }), { nil: undefined }),
});

/** One of the programme's own choices for every setting it has. */
function settingsOf(programme: Programme): fc.Arbitrary<Record<string, string>> {
  return fc.record(Object.fromEntries(programme.settings.map((s) => [s.id, fc.constantFrom(...s.choices.map((c) => c.value))])));
}

// Modest: five programmes, each run builds two plans; the file stays well within the time limit on 2 cores.
const NUM_RUNS = 40;

describe.each(programmes.map((p) => [p.id, p] as const))('every plan of %s', (_id, programme) => {
  const activities = new Map(programme.phases.flatMap((p) => p.activities).map((a) => [a.id, a]));
  const runs = fc.record({ start: startDate, calendar: calendarOptions, settings: settingsOf(programme) });

  it('puts each occurrence on a working day, gives it a unique id, orders by start and ends after it starts', () => {
    fc.assert(
      fc.property(runs, ({ start, calendar: options, settings }) => {
        const calendar = createCalendar(options);
        const plan = buildPlan(programme, { start, settings }, calendar);
        expect(plan.occurrences.length).toBeGreaterThan(0);

        const off = plan.occurrences.filter((o) => {
          if (activities.get(o.activityId)?.allowNonWorkingDays) return false;
          return !calendar.isWorkingDay(DateTime.fromISO(o.start, { zone: calendar.timezone }));
        });
        // Name the offending occurrences and their local days, so a failure says where the plan went wrong.
        expect(off.map((o) => `${o.id} ${DateTime.fromISO(o.start, { zone: calendar.timezone }).toISO()}`)).toEqual([]);

        const ids = plan.occurrences.map((o) => o.id);
        expect(new Set(ids).size).toBe(ids.length);

        const starts = plan.occurrences.map((o) => Date.parse(o.start));
        expect(starts).toEqual([...starts].sort((a, b) => a - b));

        for (const o of plan.occurrences) expect(Date.parse(o.end), o.id).toBeGreaterThan(Date.parse(o.start));
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('is the same plan when built again, so ids and times stay stable across exports', () => {
    fc.assert(
      fc.property(runs, ({ start, calendar: options, settings }) => {
        // A fresh calendar each time, so no cached state can make two builds agree or differ.
        const first = buildPlan(programme, { start, settings }, createCalendar(options));
        const again = buildPlan(programme, { start, settings }, createCalendar(options));
        expect(again).toEqual(first);
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
