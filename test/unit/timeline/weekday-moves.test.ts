// Activities timed for a weekday keep their weekday when it is closed (or move later in the same week, when
// the programme says so); they never move to the day before or the Monday after.
import { describe, expect, it } from 'vitest';
import { localStart, plan, tinyProgramme } from '../../support/plans.ts';

const days = (p: ReturnType<typeof plan>) => p.occurrences.map((o) => localStart(o).toISODate());

describe('an offset on a weekday (an evening workshop on a Tuesday)', () => {
  const tuesday = (onClosed?: string) => tinyProgramme([{ id: 'w', timing: { type: 'offset', weeks: 2, weekday: 'tue', time: '17:00', ...(onClosed && { onClosed }) } }]);

  it('in a break week moves to the Tuesday of the next open week, not the Monday after the break', () => {
    // 19 October 2027 is in efterårsferie (week 42).
    expect(days(plan(tuesday(), '2027-10-04', { country: 'DK' }))).toEqual(['2027-10-26']);
    expect(days(plan(tuesday('nextDay'), '2027-10-04', { country: 'DK' }))).toEqual(['2027-10-26']);
  });

  it('on a closed Tuesday of an open week: nextWeek keeps Tuesday, nextDay takes Wednesday', () => {
    const closed = { country: 'DK' as const, closed: ['2026-11-03'] };
    expect(days(plan(tuesday(), '2026-10-19', closed))).toEqual(['2026-11-10']);
    expect(days(plan(tuesday('nextDay'), '2026-10-19', closed))).toEqual(['2026-11-04']);
  });

  it('refuses an unknown onClosed value', () => {
    expect(() => tuesday('previousDay')).toThrow(/onClosed/);
  });
});

describe('a monthly meeting on the first Tuesday', () => {
  const monthly = (onClosed?: string) => tinyProgramme([{ id: 'm', timing: { type: 'monthly', nth: 1, weekday: 'tue', untilWeeks: 20, time: '13:00', ...(onClosed && { onClosed }) } }]);

  it('in the Swedish jullov moves to the next open Tuesday (12 January 2027), not to Thursday the 7th', () => {
    // 2 March 2027 is in sportlov (week 9 by default): the 9th.
    expect(days(plan(monthly(), '2026-11-02', { country: 'SE' }))).toEqual(['2026-11-03', '2026-12-01', '2027-01-12', '2027-02-02', '2027-03-09']);
    expect(days(plan(monthly('nextDay'), '2026-11-02', { country: 'SE' }))).toContain('2027-01-07');
  });
});

describe('weekly module sessions (termWeeks)', () => {
  const weekly = (onClosed?: string) =>
    tinyProgramme([
      {
        id: 's',
        kind: 'modulePart',
        timing: { type: 'termWeeks', weekday: 'fri', time: '14:00', variants: [{ parts: 2, cdWeeks: 1, autumnWeek: 13, springWeek: 14 }], ...(onClosed && { onClosed }) },
      },
    ]);

  it('on a closed Friday move to the next week’s Friday, never to the Thursday before', () => {
    // Långfredagen 26 March 2027 (week 12); the run starts in week 12, workplace calendar.
    const p = plan(weekly(), '2027-03-22', { country: 'SE', kind: 'workplace' });
    expect(days(p)[0]).toBe('2027-04-02');
    expect(days(p).every((d) => localStart(p.occurrences[0]!).weekday === 5 && d !== '2027-03-25')).toBe(true);
  });
});
