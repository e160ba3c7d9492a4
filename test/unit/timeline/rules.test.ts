// Timing rules on small made-up programmes, where each test can name the exact day it expects.
import { describe, expect, it } from 'vitest';
import { ofActivity, localStart, plan, tinyProgramme } from '../../support/plans.ts';

const DK = { country: 'DK' as const };

describe('the pre-visit mail: at least 7 days before the visit, on a working day', () => {
  const visitAt = (weeks: number, days: number) =>
    tinyProgramme([
      { id: 'visit', kind: 'guidanceVisit', audience: ['leader', 'guide'], timing: { type: 'offset', weeks, days, time: '09:00' } },
      { id: 'mail', kind: 'preVisitMail', audience: ['leader', 'guide'], timing: { type: 'before', activity: 'visit', days: 7, time: '09:00' } },
    ]);

  it('is exactly 7 days before an ordinary visit', () => {
    const p = plan(visitAt(3, 0), '2027-01-11', DK);
    expect(localStart(ofActivity(p, 'visit')[0]!).toISODate()).toBe('2027-02-01');
    expect(localStart(ofActivity(p, 'mail')[0]!).toISODate()).toBe('2027-01-25');
  });

  it('moves earlier out of a break week', () => {
    // Visit Monday 22 February 2027; 7 days before is in vinterferie (week 7), so the mail goes the Friday before.
    const p = plan(visitAt(3, 0), '2027-02-01', DK);
    expect(localStart(ofActivity(p, 'mail')[0]!).toISODate()).toBe('2027-02-12');
  });

  it('moves earlier past Easter when the visit is right after it', () => {
    // Visit Friday 2 April 2027; 7 days before is Langfredag, the day before that Skærtorsdag. A workplace
    // (day-care) is open on the Wednesday before; a school is in påskeferie from Monday 22 March.
    const p = plan(visitAt(4, 4), '2027-03-01', { ...DK, kind: 'workplace' });
    expect(localStart(ofActivity(p, 'visit')[0]!).toISODate()).toBe('2027-04-02');
    expect(localStart(ofActivity(p, 'mail')[0]!).toISODate()).toBe('2027-03-24');
    expect(p.warnings).toEqual([]);
    const school = plan(visitAt(4, 4), '2027-03-01', DK);
    expect(localStart(ofActivity(school, 'mail')[0]!).toISODate()).toBe('2027-03-19');
  });

  it('warns, and does not drop the mail, when 7 days before would be before the run starts', () => {
    const p = plan(visitAt(0, 3), '2027-02-01', DK);
    const mail = ofActivity(p, 'mail');
    expect(mail).toHaveLength(1);
    expect(localStart(mail[0]!).toISODate()).toBe('2027-02-01');
    expect(p.warnings).toEqual([{ code: 'fewerDaysBefore', activityId: 'mail', days: 7, target: 'visit' }]);
  });
});

describe('local times across daylight-saving changes', () => {
  it('a weekly 14:00 session stays at 14:00 in October and March, with the offset changing', () => {
    const weekly = tinyProgramme([{ id: 'session', kind: 'training', timing: { type: 'termWeeks', time: '14:00', variants: [{ parts: 12, cdWeeks: 1, autumnWeek: 42, springWeek: 10 }] } }]);
    const p = plan(weekly, '2026-10-12', { country: 'DK', breakWeeks: [] });
    const starts = p.occurrences.map((o) => localStart(o));
    expect(starts.every((s) => s.toFormat('HH:mm') === '14:00')).toBe(true);
    // 2026-10-25 and 2027-03-28 are the change dates in Europe.
    expect(starts.find((s) => s.toISODate() === '2026-10-19')!.offset).toBe(120);
    expect(starts.find((s) => s.toISODate() === '2026-10-26')!.offset).toBe(60);
    expect(starts.find((s) => s.toISODate() === '2027-03-22')!.offset).toBe(60);
    expect(starts.find((s) => s.toISODate() === '2027-03-29')).toBeUndefined(); // Anden påskedag
    expect(starts.find((s) => s.toISODate() === '2027-03-30')!.offset).toBe(120);
  });

  it('stores instants in UTC', () => {
    const p = plan(tinyProgramme([{ id: 'x', timing: { type: 'offset', time: '14:00' } }]), '2026-07-01', { country: 'DK', breakWeeks: [] });
    expect(p.occurrences[0]!.start).toBe('2026-07-01T12:00:00Z');
  });
});

describe('working days', () => {
  it('daily practice skips weekends and public holidays, and break weeks do not use up its weeks', () => {
    const daily = tinyProgramme([{ id: 'practice', kind: 'practicePrompt', durationMinutes: 10, timing: { type: 'workingDays', forWeeks: 2, time: '10:00' } }]);
    const easter = plan(daily, '2027-03-22', { country: 'DK', breakWeeks: [] });
    const days = easter.occurrences.map((o) => localStart(o).toISODate());
    expect(days).toEqual(['2027-03-22', '2027-03-23', '2027-03-24', '2027-03-30', '2027-03-31', '2027-04-01', '2027-04-02']);

    const autumn = plan(daily, '2026-10-05', DK); // week 42 is efterårsferie
    const weeks = [...new Set(autumn.occurrences.map((o) => localStart(o).weekNumber))];
    expect(weeks).toEqual([41, 43]);
    expect(autumn.occurrences).toHaveLength(10);
  });

  it('an offset that lands on a weekend or holiday moves to the next working day', () => {
    const p = plan(tinyProgramme([{ id: 'x', timing: { type: 'offset', days: 5, time: '09:00' } }]), '2027-05-01', DK);
    // 2027-05-06 is Kristi Himmelfartsdag: the next working day is Friday the 7th.
    expect(localStart(p.occurrences[0]!).toISODate()).toBe('2027-05-07');
  });

  it('Swedish holidays apply to SE teams and not to DK ones', () => {
    const midsummerEve = tinyProgramme([{ id: 'x', timing: { type: 'offset', time: '09:00' } }]);
    expect(localStart(plan(midsummerEve, '2027-06-25', { country: 'SE', breakWeeks: [] }).occurrences[0]!).toISODate()).toBe('2027-06-28');
    expect(localStart(plan(midsummerEve, '2027-06-25', { country: 'DK', breakWeeks: [] }).occurrences[0]!).toISODate()).toBe('2027-06-25');
  });
});

describe('month rules', () => {
  it('"in month M" is the school year\'s month; a start later in that month is still on time', () => {
    const p = plan(tinyProgramme([{ id: 'q', kind: 'questionnaire', windowDays: 14, timing: { type: 'inMonth', month: 8, time: '09:00' } }]), '2026-08-10', DK);
    expect(localStart(p.occurrences[0]!).toISODate()).toBe('2026-08-10');
    expect(p.warnings).toEqual([]);
  });

  it('"in month M" before the run starts is placed at the start, with a warning', () => {
    const p = plan(tinyProgramme([{ id: 'q', timing: { type: 'inMonth', month: 8, time: '09:00' } }]), '2026-09-01', DK);
    expect(localStart(p.occurrences[0]!).toISODate()).toBe('2026-09-01');
    expect(p.warnings).toEqual([{ code: 'beforeRunStart', activityId: 'q', wanted: '2026-08-01', placed: '2026-09-01' }]);
  });

  it('monthly meetings fall on the nth weekday and skip a month whose only candidate is in a long break', () => {
    const monthly = tinyProgramme([{ id: 'm', timing: { type: 'monthly', nth: 2, weekday: 'tue', untilWeeks: 52, time: '13:00' } }]);
    const p = plan(monthly, '2026-08-03', { country: 'DK', breakWeeks: [28, 29, 30, 31] });
    const days = p.occurrences.map((o) => localStart(o).toISODate());
    expect(days.slice(0, 3)).toEqual(['2026-08-11', '2026-09-08', '2026-10-13']);
    expect(days.some((d) => d!.startsWith('2027-07'))).toBe(false);
    expect(p.warnings).toContainEqual({ code: 'noWorkingDay', activityId: 'm', from: '2027-07-13', to: '2027-07-31' });
  });
});

describe('plan-level checks', () => {
  it('warns when planned sessions exceed the punch card', () => {
    const base = tinyProgramme([{ id: 's', timing: { type: 'monthly', nth: 1, weekday: 'tue', untilWeeks: 52, time: '13:00' } }]);
    const p = plan({ ...base, punchCard: { hours: 5, activities: ['s'] } }, '2026-08-03', DK);
    expect(p.warnings).toContainEqual({ code: 'punchCardExceeded', planned: p.occurrences.length, budget: 5 });
  });

  it('counts hours per role from durations and preparation', () => {
    const p = plan(
      { ...tinyProgramme([{ id: 'a', audience: ['staff', 'facilitator'], durationMinutes: 90, timing: { type: 'offset', time: '09:00' } }]), preparationHours: { facilitator: 2 } },
      '2026-09-14',
      DK,
    );
    expect(p.hours).toEqual({ staff: 1.5, facilitator: 3.5 });
  });
});
