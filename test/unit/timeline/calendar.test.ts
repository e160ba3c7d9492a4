// The default calendars: public holidays, and the usual school breaks worked out per school year from
// dates (not fixed week numbers), for both countries and both kinds of calendar.
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { breakWeekKind, type CalendarOptions, createCalendar } from '../../../src/domain/calendar/calendar.ts';

const open = (options: CalendarOptions, from: string, to: string) => {
  const calendar = createCalendar(options);
  const days: string[] = [];
  for (let d = calendar.day(from); d <= calendar.day(to); d = d.plus({ days: 1 })) if (calendar.isWorkingDay(d)) days.push(d.toISODate()!);
  return days;
};
const weekdays = (from: string, to: string) => open({ country: 'DK', breakWeeks: [] }, from, to).filter((d) => !['2026-06-05', '2027-06-05'].includes(d));

const DK = { country: 'DK' } as const;
const SE = { country: 'SE' } as const;
const DK_WORK = { country: 'DK', kind: 'workplace' } as const;
const SE_WORK = { country: 'SE', kind: 'workplace' } as const;

describe('the Danish school calendar', () => {
  it('has efterårsferie in week 42 and juleferie 21 December – 1 January, then school from the first weekday', () => {
    expect(open(DK, '2026-10-12', '2026-10-16')).toEqual([]);
    expect(open(DK, '2026-12-14', '2027-01-08')).toEqual(['2026-12-14', '2026-12-15', '2026-12-16', '2026-12-17', '2026-12-18', '2027-01-04', '2027-01-05', '2027-01-06', '2027-01-07', '2027-01-08']);
    expect(open(DK, '2027-12-20', '2028-01-07')).toEqual(['2027-12-20', '2028-01-03', '2028-01-04', '2028-01-05', '2028-01-06', '2028-01-07']);
  });

  it('closes week 53 of 2026, and week 1 of 2027 is a school week', () => {
    const calendar = createCalendar(DK);
    expect(calendar.isBreakWeek(calendar.day('2026-12-28'))).toBe(true);
    expect(calendar.isBreakWeek(calendar.day('2027-01-04'))).toBe(false);
  });

  it('has vinterferie in week 7, påskeferie from the Monday before Skærtorsdag to Anden påskedag', () => {
    expect(open(DK, '2027-02-15', '2027-02-19')).toEqual([]);
    expect(open(DK, '2027-03-19', '2027-03-31')).toEqual(['2027-03-19', '2027-03-30', '2027-03-31']);
    expect(open(DK, '2028-04-07', '2028-04-19')).toEqual(['2028-04-07', '2028-04-18', '2028-04-19']);
  });

  it('has sommerferie from the last Saturday of June to the second Monday of August', () => {
    expect(open(DK, '2027-06-21', '2027-08-13')).toEqual([...weekdays('2027-06-21', '2027-06-25'), ...weekdays('2027-08-09', '2027-08-13')]);
    expect(open(DK, '2028-06-19', '2028-08-18')).toEqual([...weekdays('2028-06-19', '2028-06-23'), ...weekdays('2028-08-14', '2028-08-18')]);
  });

  it('closes Grundlovsdag, 5 June, in both calendars', () => {
    for (const options of [DK, DK_WORK]) {
      const calendar = createCalendar(options);
      expect(calendar.isWorkingDay(calendar.day('2026-06-05'))).toBe(false);
      expect(calendar.isWorkingDay(calendar.day('2028-06-05'))).toBe(false);
    }
  });

  it('names the break weeks by the break they are in', () => {
    const calendar = createCalendar(DK);
    const kinds = ['2026-10-12', '2026-12-21', '2027-02-15', '2027-03-22', '2027-07-12', '2027-01-04'].map((d) => breakWeekKind(calendar, calendar.day(d)));
    expect(kinds).toEqual(['autumn', 'christmas', 'winter', 'easter', 'summer', undefined]);
  });
});

describe('the Swedish school calendar', () => {
  it('has höstlov in week 44 and keeps 14–18 December 2026 open', () => {
    expect(open(SE, '2026-10-26', '2026-10-30')).toEqual([]);
    expect(open(SE, '2026-12-14', '2026-12-18')).toEqual(['2026-12-14', '2026-12-15', '2026-12-16', '2026-12-17', '2026-12-18']);
  });

  it('has jullov from 21 December until the weekday after Trettondedag jul (the Monday after, when that is a Friday)', () => {
    expect(open(SE, '2026-12-21', '2027-01-08')).toEqual(['2027-01-07', '2027-01-08']);
    // 6 January 2028 is a Thursday: school starts on Monday the 10th.
    expect(open(SE, '2027-12-20', '2028-01-10')).toEqual(['2027-12-20', '2028-01-10']);
    const calendar = createCalendar(SE);
    expect(calendar.isBreakWeek(calendar.day('2026-12-28'))).toBe(true);
  });

  it('has sportlov in week 9 by default, or in the week the run picks', () => {
    expect(open(SE, '2027-03-01', '2027-03-05')).toEqual([]);
    expect(open(SE, '2027-02-15', '2027-02-19')).toHaveLength(5);
    expect(open({ ...SE, sportlovWeek: 7 }, '2027-02-15', '2027-02-19')).toEqual([]);
    expect(open({ ...SE, sportlovWeek: 7 }, '2027-03-01', '2027-03-05')).toHaveLength(5);
    expect(open({ ...SE, sportlovWeek: 10 }, '2028-03-06', '2028-03-10')).toEqual([]);
  });

  it('has påsklov the week after Easter, and sommarlov from the Saturday after the Friday of week 24 to 16 August', () => {
    expect(open(SE, '2027-03-29', '2027-04-02')).toEqual([]);
    expect(open(SE, '2027-04-05', '2027-04-09')).toHaveLength(5);
    expect(open(SE, '2027-06-14', '2027-06-18')).toHaveLength(5);
    expect(open(SE, '2027-06-21', '2027-08-16')).toEqual([]);
    expect(open(SE, '2027-08-17', '2027-08-17')).toEqual(['2027-08-17']);
    expect(open(SE, '2028-06-16', '2028-06-19')).toEqual(['2028-06-16']);
  });
});

describe('the workplace calendar (day-care, companies)', () => {
  it('stays open in the school breaks and closes 24–31 December', () => {
    for (const options of [DK_WORK, SE_WORK]) {
      expect(open(options, '2026-10-12', '2026-10-16')).toHaveLength(5);
      expect(open(options, '2027-02-15', '2027-03-05')).toHaveLength(15);
      expect(open(options, '2026-12-21', '2027-01-08').filter((d) => d >= '2026-12-24' && d <= '2026-12-31')).toEqual([]);
      expect(open(options, '2027-12-24', '2027-12-31')).toEqual([]);
      const calendar = createCalendar(options);
      expect(calendar.isBreakWeek(calendar.day('2026-12-28'))).toBe(true);
      expect(open(options, '2027-07-12', '2027-07-16')).toHaveLength(5);
    }
    expect(open(DK_WORK, '2026-12-21', '2026-12-23')).toEqual(['2026-12-21', '2026-12-22', '2026-12-23']);
  });
});

describe('a run’s own closed days and time zone', () => {
  it('closes the days a run names', () => {
    expect(open({ ...DK_WORK, closed: ['2026-11-02', '2026-11-04'] }, '2026-11-02', '2026-11-06')).toEqual(['2026-11-03', '2026-11-05', '2026-11-06']);
  });

  it('defaults to the country’s zone', () => {
    expect(createCalendar(SE).timezone).toBe('Europe/Stockholm');
    expect(createCalendar(DK).timezone).toBe('Europe/Copenhagen');
  });

  it('a team’s own break weeks replace the date rules', () => {
    const calendar = createCalendar({ ...DK, breakWeeks: [1] });
    expect(calendar.isBreakWeek(calendar.day('2027-01-04'))).toBe(true);
    expect(calendar.isBreakWeek(calendar.day('2026-10-12'))).toBe(false);
    expect(DateTime.fromISO('2027-01-04').weekNumber).toBe(1);
  });
});
