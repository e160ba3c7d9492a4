// The leaders' monthly digest (src/domain/timeline/digests.ts): one per month of the run, early the month after.
import { describe, expect, it } from 'vitest';
import { createCalendar } from '../../../src/domain/calendar/calendar.ts';
import { digestSends } from '../../../src/domain/timeline/digests.ts';
import { buildPlan } from '../../../src/domain/timeline/plan.ts';
import { tinyProgramme } from '../../support/plans.ts';

const meetings = (...weeks: number[]) => tinyProgramme(weeks.map((w) => ({ id: `moede-${w}`, timing: { type: 'offset', weeks: w, weekday: 'tue', time: '13:00' } })));

describe('monthly digests', () => {
  it('from the run’s second month to the month after its last, on the first working day at 08:00, to leaders and facilitators', () => {
    const calendar = createCalendar({ country: 'DK' });
    // Tuesday 8 September to Tuesday 3 November 2026.
    const p = meetings(0, 8);
    const digests = digestSends(buildPlan(p, { start: '2026-09-07' }, calendar), calendar);
    expect(digests).toEqual([
      // Thursday 1 October, 08:00 summer time; useful for three days.
      { key: 'digest:2026-09', kind: 'digest', card: 'digest', month: '2026-09', at: '2026-10-01T06:00:00Z', until: '2026-10-04T06:00:00Z', audience: ['leader', 'facilitator'] },
      // 1 November is a Sunday: Monday the 2nd, winter time.
      { key: 'digest:2026-10', kind: 'digest', card: 'digest', month: '2026-10', at: '2026-11-02T07:00:00Z', until: '2026-11-05T07:00:00Z', audience: ['leader', 'facilitator'] },
      { key: 'digest:2026-11', kind: 'digest', card: 'digest', month: '2026-11', at: '2026-12-01T07:00:00Z', until: '2026-12-04T07:00:00Z', audience: ['leader', 'facilitator'] },
    ]);
  });

  it('steps over holidays and breaks of the team’s calendar; a month without a working day takes its first weekday', () => {
    const calendar = createCalendar({ country: 'DK', kind: 'school' });
    // Up to June 2027: the school's summer holidays cover all of July, and the juleferie the first days of January.
    const p = meetings(0, 40);
    const digests = digestSends(buildPlan(p, { start: '2026-09-07' }, calendar), calendar);
    expect(digests.map((d) => d.month)).toEqual(['2026-09', '2026-10', '2026-11', '2026-12', '2027-01', '2027-02', '2027-03', '2027-04', '2027-05', '2027-06']);
    const at = (month: string) => digests.find((d) => d.month === month)!.at;
    expect(at('2026-12')).toBe('2027-01-04T07:00:00Z'); // after New Year's Day and the weekend
    expect(at('2027-06')).toBe('2027-07-01T06:00:00Z'); // Thursday 1 July, in the summer holidays
  });

  it('a plan with nothing in it has none', () => {
    const calendar = createCalendar({ country: 'DK' });
    expect(digestSends({ programmeId: 'x', timezone: calendar.timezone, start: '2026-09-07', settings: {}, hours: {}, warnings: [], occurrences: [] }, calendar)).toEqual([]);
  });
});
