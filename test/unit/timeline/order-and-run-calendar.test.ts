// Order rules (kept by moving, or warned about in plain words) and a run's own calendar: closed days,
// fixed dates, the calendar kind and the sportlov week.
import { describe, expect, it } from 'vitest';
import { planOf } from '../../../src/app/run-plan.ts';
import { activitiesById } from '../../../src/domain/programme/activities.ts';
import { programmeSchema, type Locale, type Programme } from '../../../src/domain/programme/schema.ts';
import { buildPlan } from '../../../src/domain/timeline/plan.ts';
import { calendarFor } from '../../../src/domain/timeline/run-calendar.ts';
import type { Plan, RunCalendar } from '../../../src/domain/timeline/types.ts';
import { warningText } from '../../../src/plan/localize.ts';
import { aRun, localStart, ofActivity, programme, tinyProgramme } from '../../support/plans.ts';

function runPlan(p: Programme, start: string, country: 'DK' | 'SE', calendar: RunCalendar = {}, settings: Record<string, string> = {}): Plan {
  return buildPlan(p, { start, calendar, settings }, calendarFor(p, { country, calendar }));
}
const texts = (p: Plan, prog: Programme, locale: Locale) => p.warnings.map((w) => warningText(w, activitiesById(prog), locale));
const day = (p: Plan, id: string) => localStart(p.occurrences.find((o) => o.id === id)!, p.timezone).toISODate();
const closedRange = (from: string, to: string) => {
  const days: string[] = [];
  for (let d = new Date(`${from}T12:00:00Z`); d <= new Date(`${to}T12:00:00Z`); d.setUTCDate(d.getUTCDate() + 1)) days.push(d.toISOString().slice(0, 10));
  return days;
};

describe('order rules in the schema', () => {
  const withOrder = (order: unknown) =>
    programmeSchema.safeParse({
      ...tinyProgramme([{ id: 'a', timing: { type: 'offset', time: '09:00' } }]),
      phases: [
        {
          id: 'p',
          title: { da: 'p', sv: 'p', en: 'p' },
          activities: [{ id: 'a', kind: 'meeting', title: { da: 'a', sv: 'a', en: 'a' }, audience: ['staff'], durationMinutes: 60, timing: { type: 'offset', time: '09:00' }, order }],
        },
      ],
    });
  const messages = (r: ReturnType<typeof withOrder>) => (r.success ? [] : r.error.issues.map((i) => i.message));

  it('refer only to existing activities, and name one of after or before', () => {
    expect(messages(withOrder([{ after: 'nope' }]))).toContain('refers to unknown activity "nope"');
    expect(messages(withOrder([{ after: 'a' }]))).toContain('an activity cannot come after itself');
    expect(messages(withOrder([{ after: 'a', before: 'a' }]))).toContain('an order rule names exactly one of "after" or "before"');
    expect(messages(withOrder([{ after: 'a', which: 'middle' }])).join()).toMatch(/first|last|each/);
  });

  it('every built-in order rule refers to an activity of its programme', () => {
    for (const id of ['odense-science-boernehoejde', 'sevu-kollegial-sparring', 'kolding-laeringssamtale', 'skolverket-kollegialt-larande']) {
      const p = programme(id);
      const ids = new Set(p.phases.flatMap((ph) => ph.activities.map((a) => a.id)));
      const refs = p.phases.flatMap((ph) => ph.activities.flatMap((a) => [...(a.order ?? []).map((o) => o.after ?? o.before), ...(a.sameSchoolYear ?? [])]));
      expect(refs.length).toBeGreaterThan(0);
      expect(refs.filter((r) => !ids.has(r!))).toEqual([]);
    }
  });
});

describe('order rules in the plan', () => {
  const odense = programme('odense-science-boernehoejde');

  it('moves workshop 2 to a later Tuesday when module 1’s øvebaner run late, and says so', () => {
    const p = runPlan(odense, '2026-08-03', 'DK', { closed: closedRange('2026-10-26', '2026-11-13') });
    expect(day(p, 'workshop-2')).toBe('2026-11-24');
    expect(localStart(ofActivity(p, 'workshop-2')[0]!).weekday).toBe(2);
    expect(texts(p, odense, 'da')).toEqual(['Workshopaften 2: fælles inspirationsrum: flyttet fra 2026-11-17 til 2026-11-24, så den kommer efter Øvebane: Legestemninger (2026-11-20)']);
    // The visit between the workshops follows the moved workshop.
    expect(day(p, 'vejledningsbesoeg-1')! > day(runPlan(odense, '2026-08-03', 'DK'), 'vejledningsbesoeg-1')!).toBe(true);
  });

  it('keeps a fixed date where it was set and warns, naming both dates', () => {
    const p = runPlan(odense, '2026-08-03', 'DK', { fixed: { 'workshop-2': '2026-10-20' } });
    expect(day(p, 'workshop-2')).toBe('2026-10-20');
    expect(texts(p, odense, 'en')).toEqual(['Evening workshop 2: a shared space for inspiration (2026-10-20) should come after Practice track: Play moods (2026-10-30)']);
  });

  it('Skolverket from 11 January 2027: fully filled warnings, and part 8 is not silently split by the summer', () => {
    const skolverket = programme('skolverket-kollegialt-larande');
    const p = runPlan(skolverket, '2027-01-11', 'SE');
    expect(p.timezone).toBe('Europe/Stockholm');
    const all = (['da', 'sv', 'en'] as const).flatMap((l) => texts(p, skolverket, l));
    expect(all.length).toBeGreaterThan(0);
    expect(all.filter((t) => /[{}]/.test(t))).toEqual([]);
    expect(texts(p, skolverket, 'sv')).toEqual(['Del 8, moment A, B: hamnar efter sommarlovet, i nästa läsår (2027-08-17)']);
    expect(texts(p, skolverket, 'en')).toEqual(['Part 8, moments A, B: falls after the summer break, in the next school year (2027-08-17)']);
    // No part has its weeks on both sides of the summer without a warning.
    expect(p.warnings.some((w) => w.code === 'termOverrun')).toBe(false);
  });

  it('warns when a module part itself runs across the summer break', () => {
    const skolverket = programme('skolverket-kollegialt-larande');
    const p = runPlan(skolverket, '2027-01-18', 'SE', { closed: closedRange('2027-05-31', '2027-06-11') });
    const summer = p.warnings.filter((w) => w.code === 'acrossSummer' || w.code === 'afterSummer');
    expect(summer.length).toBeGreaterThan(0);
    expect(texts(p, skolverket, 'da').join('\n')).toMatch(/Del \d, moment [A-D, ]+: (løber hen over sommerferien \(2027-06-\d\d til 2027-08-\d\d\)|falder efter sommerferien)/);
  });

  it('the rector plans before part 1: a fixed date that breaks it is named', () => {
    const skolverket = programme('skolverket-kollegialt-larande');
    const p = runPlan(skolverket, '2026-09-14', 'SE', { fixed: { 'rektor-planering': '2026-09-21' } });
    expect(texts(p, skolverket, 'sv')).toEqual(['Planera det kollegiala lärandet (2026-09-21) ska ligga före Del 1, moment A, B (2026-09-14)']);
  });

  it('Kolding: both læringssamtaler in one school year, or a warning naming the dates', () => {
    const kolding = programme('kolding-laeringssamtale');
    expect(runPlan(kolding, '2026-08-10', 'DK').warnings).toEqual([]);
    const late = runPlan(kolding, '2027-01-04', 'DK');
    expect(texts(late, kolding, 'da')).toEqual([expect.stringMatching(/\(2027-06-21\) og .* \(2027-08-30\) skal ligge i samme skoleår$/)]);
  });

  it('SEVU: the first theme meeting follows a start-up meeting that was fixed later', () => {
    const sevu = programme('sevu-kollegial-sparring');
    const p = runPlan(sevu, '2026-09-07', 'DK', { fixed: { opstart: '2026-09-28' } });
    expect(day(p, 'opstart')).toBe('2026-09-28');
    expect(day(p, 'temamoede-1')).toBe('2026-09-29');
    expect(p.warnings.map((w) => w.code)).toContain('orderMoved');
  });
});

describe('a run’s own calendar', () => {
  const stuk = programme('stuk-vejledningsforloeb');

  it('a closed day moves the first-Tuesday sparring to the next Tuesday', () => {
    // STUK's monthly sparring is planned only when the punch card is set to monthly (by default it is booked when needed).
    const monthly = { klippekort: 'maanedlig' };
    const before = runPlan(stuk, '2026-08-10', 'DK', {}, monthly);
    const first = ofActivity(before, 'sparring')[0]!;
    const tuesday = localStart(first).toISODate()!;
    const after = runPlan(stuk, '2026-08-10', 'DK', { closed: [tuesday] }, monthly);
    expect(localStart(ofActivity(after, 'sparring')[0]!).toISODate()).toBe(localStart(first).plus({ weeks: 1 }).toISODate());
  });

  it('a fixed date with a time is used as is; without one the activity keeps its usual time; what depends on it follows', () => {
    const odense = programme('odense-science-boernehoejde');
    const p = runPlan(odense, '2026-08-03', 'DK', { fixed: { 'vejledningsbesoeg-1': '2026-10-14T13:30', 'workshop-1': '2026-08-27' } });
    expect(localStart(ofActivity(p, 'vejledningsbesoeg-1')[0]!).toFormat('yyyy-MM-dd HH:mm')).toBe('2026-10-14 13:30');
    expect(localStart(ofActivity(p, 'mail-til-vejleder-1')[0]!).toISODate()).toBe('2026-10-07');
    expect(localStart(ofActivity(p, 'workshop-1')[0]!).toFormat('yyyy-MM-dd HH:mm')).toBe('2026-08-27 17:00');
    expect(localStart(ofActivity(p, 'tema-1-1')[0]!).toISODate()).toBe('2026-09-02');
  });

  it('a visit fixed too early for the 7-day mail is named by its title in the warning', () => {
    const odense = programme('odense-science-boernehoejde');
    const p = runPlan(odense, '2026-08-03', 'DK', { fixed: { 'vejledningsbesoeg-1': '2026-08-05' } });
    const visit = odense.phases.flatMap((ph) => ph.activities).find((a) => a.id === 'vejledningsbesoeg-1')!;
    const text = texts(p, odense, 'en').find((t) => t.includes('at least 7 days before'));
    expect(text).toContain(visit.title.en);
    expect(text).not.toContain('vejledningsbesoeg-1');
  });

  it('an unknown or unreadable fixed date is a warning, not a failure', () => {
    const p = runPlan(stuk, '2026-08-10', 'DK', { fixed: { nope: '2026-09-01', opstart: '1 Sept' } });
    expect(texts(p, stuk, 'en')).toEqual([
      'the fixed date “1 Sept” for “opstart” was not used: write YYYY-MM-DD or YYYY-MM-DDTHH:MM',
      'the fixed date for “nope” was not used: the plan has no occurrence with that id',
    ]);
  });

  it('the programme picks the kind of calendar, and a run may pick the other', () => {
    const odense = programme('odense-science-boernehoejde');
    expect(odense.calendar).toBe('workplace');
    expect(programme('skolverket-kollegialt-larande').calendar).toBe('school');
    const days = (p: Plan) => p.occurrences.map((o) => localStart(o).toISODate()!);
    const inAutumnBreak = (p: Plan) => days(p).filter((d) => d >= '2026-10-12' && d <= '2026-10-16');
    expect(inAutumnBreak(runPlan(odense, '2026-08-03', 'DK')).length).toBeGreaterThan(0);
    expect(inAutumnBreak(runPlan(odense, '2026-08-03', 'DK', { kind: 'school' }))).toEqual([]);
  });

  it('the sportlov week moves the Skolverket parts', () => {
    const skolverket = programme('skolverket-kollegialt-larande');
    const weeks = (w: number) => ofActivity(runPlan(skolverket, '2026-09-14', 'SE', { sportlovWeek: w }), 'del').find((o) => o.id === 'del:6cd')!.weeks;
    expect(weeks(7)).toEqual([6, 8]);
    expect(weeks(9)).toEqual([6, 7]);
  });

  it('planOf plans anew when the run’s calendar changes', () => {
    const run = aRun({ team: { tenant: 't', team: 'x' } as never, programmeId: stuk.id, start: '2026-08-10', settings: { klippekort: 'maanedlig' }, members: [] });
    const plain = planOf(run, stuk);
    const first = localStart(ofActivity(plain, 'sparring')[0]!).toISODate()!;
    const closed = planOf({ ...run, calendar: { closed: [first] } }, stuk);
    expect(localStart(ofActivity(closed, 'sparring')[0]!).toISODate()).not.toBe(first);
    expect(planOf(run, stuk)).toBe(plain);
  });
});
