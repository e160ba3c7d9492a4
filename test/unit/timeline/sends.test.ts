// What each occurrence sends, and when (src/domain/timeline/sends.ts): the one list the scheduler fires from.
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { CARD_OF_KIND } from '../../../src/cards/from-activity.ts';
import { CARD_NAMES } from '../../../src/cards/view-models.ts';
import { type Calendar, createCalendar, nextWorkingDay } from '../../../src/domain/calendar/calendar.ts';
import { activitiesById } from '../../../src/domain/programme/activities.ts';
import { ACTIVITY_KINDS, type Programme, programmeSchema } from '../../../src/domain/programme/schema.ts';
import { isStillUseful } from '../../../src/domain/timeline/due.ts';
import { buildPlan } from '../../../src/domain/timeline/plan.ts';
import { calendarFor } from '../../../src/domain/timeline/run-calendar.ts';
import { MAIN_CARD, NOTICE_KINDS, type Send, sendIsStillUseful, sendsOf } from '../../../src/domain/timeline/sends.ts';
import type { Occurrence, Plan } from '../../../src/domain/timeline/types.ts';
import { loadProgrammes } from '../../../src/programmes/load.ts';
import { tinyProgramme } from '../../support/plans.ts';

const programmes = loadProgrammes();
/** Each built-in programme with its default settings and a start in the autumn of 2026. */
const STARTS: Record<string, string> = {
  'sevu-kollegial-sparring': '2026-09-07',
  'odense-science-boernehoejde': '2026-08-17',
  'skolverket-kollegialt-larande': '2026-09-14',
  'kolding-laeringssamtale': '2026-08-17',
  'stuk-vejledningsforloeb': '2026-09-01',
};

function planned(id: string): { programme: Programme; plan: Plan; calendar: Calendar; sends: Map<string, Send[]> } {
  const programme = programmes.get(id)!;
  const calendar = calendarFor(programme, { country: programme.country, timezone: programme.country === 'SE' ? 'Europe/Stockholm' : 'Europe/Copenhagen' });
  const plan = buildPlan(programme, { start: STARTS[id]! }, calendar);
  return { programme, plan, calendar, sends: sendsOf(programme, plan, calendar) };
}

const local = (iso: string, calendar: Calendar) => DateTime.fromISO(iso, { zone: calendar.timezone });

/** Working days strictly between two local days. */
function workingDaysBetween(calendar: Calendar, from: DateTime, to: DateTime): number {
  let n = 0;
  for (let d = from.startOf('day').plus({ days: 1 }); d < to.startOf('day'); d = d.plus({ days: 1 })) if (calendar.isWorkingDay(d)) n++;
  return n;
}

describe('sends of the built-in programmes', () => {
  it('knows every built-in programme', () => {
    expect(Object.keys(STARTS).sort()).toEqual([...programmes.keys()].sort());
  });

  it.each(Object.keys(STARTS))('%s: every occurrence sends at least one known card to someone, none after it starts but its close summary', (id) => {
    const { plan, sends } = planned(id);
    expect(plan.occurrences.length).toBeGreaterThan(0);
    for (const o of plan.occurrences) {
      const own = sends.get(o.id) ?? [];
      expect(own.length, o.id).toBeGreaterThan(0);
      for (const s of own) {
        expect(CARD_NAMES as readonly string[], `${o.id} ${s.card}`).toContain(s.card);
        expect(s.audience.length).toBeGreaterThan(0);
        // The one exception: word that a form is late goes to whoever waits for it (Bilag B: the guide).
        if (s.kind !== 'lateNotice') expect(s.audience.every((r) => o.audience.includes(r))).toBe(true);
        if (s.kind === 'closeSummary') expect(Date.parse(s.at), `${s.key} at ${s.at}`).toBeGreaterThanOrEqual(Date.parse(o.end));
        // A reminder to answer comes while the questionnaire or reflection is open; every other send by its start.
        else if (s.kind === 'answerReminder') expect(s.at > o.start && s.at < o.end, `${s.key} at ${s.at}`).toBe(true);
        else expect(Date.parse(s.at), `${s.key} at ${s.at}`).toBeLessThanOrEqual(Date.parse(o.start));
      }
      // In time order, each key once.
      expect(own.map((s) => s.at)).toEqual([...own.map((s) => s.at)].sort());
      expect(new Set(own.map((s) => s.key)).size).toBe(own.length);
    }
  });

  it.each(Object.keys(STARTS))('%s: a meeting-like occurrence is noticed at least one working day ahead, and reminded that morning', (id) => {
    const { plan, calendar, sends } = planned(id);
    for (const o of plan.occurrences.filter((x) => NOTICE_KINDS.has(x.kind))) {
      const notice = sends.get(o.id)!.find((s) => s.kind === 'notice');
      expect(notice, o.id).toBeDefined();
      expect(notice!.key).toBe(`${o.id}#notice`);
      expect(notice!.card).toBe('notice');
      const start = local(o.start, calendar);
      const at = local(notice!.at, calendar);
      expect(workingDaysBetween(calendar, at, start), `${o.id}: notice ${notice!.at}, start ${o.start}`).toBeGreaterThanOrEqual(1);
      const reminder = sends.get(o.id)!.find((s) => s.kind === 'reminder');
      expect(reminder, o.id).toBeDefined();
      expect(local(reminder!.at, calendar).toISODate()).toBe(start.toISODate());
      expect(local(reminder!.at, calendar) < start).toBe(true);
    }
  });

  it('the occurrence’s own card keeps the occurrence id as its key, as before lead times', () => {
    for (const id of Object.keys(STARTS)) {
      const { plan, sends } = planned(id);
      for (const o of plan.occurrences) {
        const main = sends.get(o.id)!.find((s) => s.kind === 'main');
        if (MAIN_CARD[o.kind]) expect(main?.key, o.id).toBe(o.id);
        else expect(main, o.id).toBeUndefined();
      }
    }
  });

  it('the kinds’ cards agree with the cards built for them', () => {
    for (const kind of ACTIVITY_KINDS) if (CARD_OF_KIND[kind]) expect(MAIN_CARD[kind], kind).toBe(CARD_OF_KIND[kind]);
    // The seven kinds without a card of their own before: six get a notice, tasks their card.
    for (const kind of ['meeting', 'themeMeeting', 'workshop', 'training', 'guidanceVisit', 'learningConversation'] as const) expect(NOTICE_KINDS.has(kind)).toBe(true);
    expect(MAIN_CARD.task).toBe('task');
  });
});

describe('lead times from the seeds', () => {
  it('Skolverket: each part’s A+B material when the previous C+D meeting ends (the first 5 working days ahead), moment C right after A+B', () => {
    const { plan, calendar, sends } = planned('skolverket-kollegialt-larande');
    const parts = plan.occurrences.filter((o) => o.activityId === 'del');
    expect(parts.length).toBe(16);
    const mainOf = (o: Occurrence) => sends.get(o.id)!.find((s) => s.kind === 'main')!;
    const first = parts[0]!;
    expect(first.id).toBe('del:1ab');
    const firstAt = local(mainOf(first).at, calendar);
    expect(workingDaysBetween(calendar, firstAt, local(first.start, calendar))).toBe(4); // the 5th working day before
    expect(firstAt.toFormat('HH:mm')).toBe('08:00');
    for (let i = 1; i < parts.length; i++) {
      expect(mainOf(parts[i]!).at, parts[i]!.id).toBe(parts[i - 1]!.end);
      expect(mainOf(parts[i]!).card).toBe('module-part');
    }
    // C right after A+B of the same part.
    const oneCd = parts.find((o) => o.id === 'del:1cd')!;
    expect(mainOf(oneCd).at).toBe(parts.find((o) => o.id === 'del:1ab')!.end);
  });

  it('Odense: Bilag A to the leader 5 working days before the sparring meeting; Bilag B 10 working days before the visit', () => {
    const { plan, calendar, sends } = planned('odense-science-boernehoejde');
    const meetings = plan.occurrences.filter((o) => o.activityId === 'sparringsmoede');
    expect(meetings.length).toBeGreaterThan(5);
    for (const m of meetings) {
      const agenda = sends.get(m.id)!.find((s) => s.card === 'sparring-agenda')!;
      expect(agenda.key).toBe(m.id);
      expect(agenda.audience).toEqual(['leader']);
      expect(workingDaysBetween(calendar, local(agenda.at, calendar), local(m.start, calendar)), m.id).toBe(4);
      const reminder = sends.get(m.id)!.find((s) => s.kind === 'reminder')!;
      expect(reminder.audience).toEqual(m.audience);
    }
    for (const n of ['1', '2']) {
      const mail = plan.occurrences.find((o) => o.activityId === `mail-til-vejleder-${n}`)!;
      const visit = plan.occurrences.find((o) => o.activityId === `vejledningsbesoeg-${n}`)!;
      const form = sends.get(mail.id)!.find((s) => s.card === 'pre-visit-form')!;
      expect(form.key).toBe(mail.id);
      expect(Date.parse(form.at)).toBeLessThan(Date.parse(mail.start)); // before the 7-day deadline
      const between = workingDaysBetween(calendar, local(form.at, calendar), local(visit.start, calendar));
      // 10 working days ahead; across a long break (Christmas) it falls on the last weekdays before it.
      expect(between, mail.id).toBeGreaterThanOrEqual(9);
      // "Senest syv dage før mødet": the deadline is the occurrence's start, 7 days before the visit at 09:00.
      expect(local(visit.start, calendar).diff(local(mail.start, calendar), 'days').days).toBe(7);
      const reminder = sends.get(mail.id)!.find((s) => s.kind === 'formReminder')!;
      expect(reminder).toMatchObject({ key: `${mail.id}#form-reminder`, card: 'pre-visit-form', audience: ['leader'], onlyIfOpen: true, until: mail.start });
      expect(local(reminder.at, calendar).toISO()).toBe(local(mail.start, calendar).minus({ days: 1 }).toISO());
      const late = sends.get(mail.id)!.find((s) => s.kind === 'lateNotice')!;
      expect(late).toMatchObject({ key: `${mail.id}#late`, card: 'plan-late', audience: ['guide'], onlyIfOpen: true, at: mail.start, until: visit.start });
    }
  });

  it('Bilag B: no form reminder when the form itself goes out on its deadline day (5 working days before the visit)', () => {
    const { programme, plan, calendar } = planned('odense-science-boernehoejde');
    const late = {
      ...programme,
      phases: programme.phases.map((p) => ({ ...p, activities: p.activities.map((a) => (a.kind === 'preVisitMail' ? { ...a, notice: { from: 'target' as const, workingDays: 5 } } : a)) })),
    };
    const mail = plan.occurrences.find((o) => o.activityId === 'mail-til-vejleder-1')!;
    const own = sendsOf(late, plan, calendar).get(mail.id)!;
    expect(own.map((s) => s.kind)).toEqual(['main', 'lateNotice']);
  });

  it('tasks and the beslutningsreferat: the card with its deadline 5 working days ahead', () => {
    const { plan, calendar, sends } = planned('kolding-laeringssamtale');
    for (const [activityId, card] of [
      ['temaer', 'task'],
      ['referat', 'decision-minutes'],
    ] as const) {
      const occurrence = plan.occurrences.find((o) => o.activityId === activityId)!;
      const [send] = sends.get(occurrence.id)!;
      expect(send).toMatchObject({ key: activityId, card, kind: 'main' });
      expect(workingDaysBetween(calendar, local(send!.at, calendar), local(occurrence.start, calendar))).toBe(4);
    }
    // The autumn break pushes the referat's lead back past the meeting it records: it comes when the meeting is over.
    const meeting = plan.occurrences.find((o) => o.activityId === 'skoleudviklingssamtale')!;
    expect(sends.get('referat')![0]!.at).toBe(meeting.end);
  });
});

describe('lead times as data', () => {
  const calendar = createCalendar({ country: 'DK' });
  const sendsFor = (notice: Record<string, unknown> | undefined) => {
    const p = tinyProgramme([{ id: 'moede', kind: 'meeting', audience: ['leader', 'staff'], timing: { type: 'offset', weeks: 2, weekday: 'wed', time: '13:00' }, ...(notice ? { notice } : {}) }]);
    const plan = buildPlan(p, { start: '2026-09-07' }, calendar);
    return sendsOf(p, plan, calendar).get('moede')!;
  };

  it('defaults: a notice 5 working days ahead at 08:00, a reminder at 07:30 on the day', () => {
    expect(sendsFor(undefined).map((s) => [s.key, s.card, s.at])).toEqual([
      ['moede#notice', 'notice', '2026-09-16T06:00:00Z'],
      ['moede#reminder', 'reminder', '2026-09-23T05:30:00Z'],
    ]);
  });

  it('a programme file changes them: 2 working days, at 12:00, to the leader, no reminder', () => {
    expect(sendsFor({ workingDays: 2, time: '12:00', audience: ['leader'], reminder: false }).map((s) => [s.key, s.at, s.audience])).toEqual([['moede#notice', '2026-09-21T10:00:00Z', ['leader']]]);
  });

  it('a card at its start (but a summary) is stale exactly when the old rule (isStillUseful) said so', () => {
    const { programme, plan, calendar, sends } = planned('odense-science-boernehoejde');
    const activities = activitiesById(programme);
    let checked = 0;
    for (const o of plan.occurrences) {
      const main = sends.get(o.id)!.find((s) => s.kind === 'main' && s.at === o.start);
      // A summary keeps the next working day too (below).
      if (!main || main.card === 'summary') continue;
      const start = local(o.start, calendar);
      for (const now of [start, start.plus({ hours: 2 }), start.endOf('day'), start.plus({ days: 1 }).startOf('day'), DateTime.fromISO(o.end).plus({ minutes: 1 })]) {
        const at = now.toJSDate();
        expect(sendIsStillUseful(main, at), `${o.id} at ${now.toISO()}`).toBe(isStillUseful(o, activities.get(o.activityId)!, at, calendar.timezone));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('a summary’s card keeps to the end of the next working day (a bot down on its day posts it then); the daily øvebane only its own day', () => {
    const { plan, calendar, sends } = planned('odense-science-boernehoejde');
    const mainOf = (o: Occurrence) => sends.get(o.id)!.find((s) => s.kind === 'main')!;
    const summaries = plan.occurrences.filter((o) => mainOf(o)?.card === 'summary');
    expect(summaries.length).toBeGreaterThan(0);
    for (const o of summaries) {
      const next = nextWorkingDay(calendar, local(mainOf(o).at, calendar).startOf('day').plus({ days: 1 }));
      expect(sendIsStillUseful(mainOf(o), next.set({ hour: 23, minute: 59 }).toJSDate()), o.id).toBe(true);
      expect(sendIsStillUseful(mainOf(o), next.plus({ days: 1 }).startOf('day').toJSDate()), o.id).toBe(false);
    }
    const practice = plan.occurrences.find((o) => mainOf(o)?.card === 'practice-prompt')!;
    expect(sendIsStillUseful(mainOf(practice), local(practice.start, calendar).plus({ days: 1 }).startOf('day').toJSDate())).toBe(false);
  });

  it('a notice is stale once its meeting has started; a reminder once the meeting is over', () => {
    const [notice, reminder] = sendsFor(undefined);
    expect(sendIsStillUseful(notice!, new Date('2026-09-23T10:59:00Z'))).toBe(true);
    expect(sendIsStillUseful(notice!, new Date('2026-09-23T11:00:00Z'))).toBe(false);
    expect(sendIsStillUseful(reminder!, new Date('2026-09-23T11:30:00Z'))).toBe(true);
    expect(sendIsStillUseful(reminder!, new Date('2026-09-23T12:00:00Z'))).toBe(false);
  });
});

describe('close summaries: what the team answered, to the channel when an occurrence closes', () => {
  const calendar = createCalendar({ country: 'DK' });
  const summaryOf = (activities: Record<string, unknown>[], id: string) => {
    const p = tinyProgramme(activities);
    const plan = buildPlan(p, { start: '2026-09-07' }, calendar);
    return {
      plan,
      send: sendsOf(p, plan, calendar)
        .get(id)
        ?.find((s) => s.kind === 'closeSummary'),
    };
  };

  it('a questionnaire’s window: at its close, to the channel as the summary card, useful to the end of the next working day', () => {
    // Opens Monday 7 September 09:00, closes 14 days later.
    const { plan, send } = summaryOf([{ id: 'puls', kind: 'questionnaire', windowDays: 14, anonymous: true, timing: { type: 'offset', days: 0, time: '09:00' } }], 'puls');
    expect(plan.occurrences[0]!.end).toBe('2026-09-21T07:00:00Z');
    expect(send).toEqual({
      key: 'puls#summary',
      occurrenceId: 'puls',
      kind: 'closeSummary',
      card: 'summary',
      at: '2026-09-21T07:00:00Z',
      until: '2026-09-22T22:00:00Z',
      audience: ['staff'],
    });
    expect(sendIsStillUseful(send!, new Date('2026-09-21T20:00:00Z'))).toBe(true);
    // A bot down on Monday the 21st posts it on Tuesday, not on Wednesday.
    expect(sendIsStillUseful(send!, new Date('2026-09-22T21:59:00Z'))).toBe(true);
    expect(sendIsStillUseful(send!, new Date('2026-09-22T22:00:00Z'))).toBe(false);
  });

  it('reflection questions without a window: the next working morning at 08:00 (a Friday’s after the weekend)', () => {
    const friday = summaryOf([{ id: 'refleksion', kind: 'reflectionPrompt', audience: ['staff', 'leader'], timing: { type: 'offset', days: 4, time: '09:00' } }], 'refleksion');
    expect(friday.send).toMatchObject({ key: 'refleksion#summary', at: '2026-09-14T06:00:00Z', until: '2026-09-15T22:00:00Z', audience: ['staff', 'leader'] });
  });

  it('none for the daily øvebane, a private form, a læringssamtale’s notes or a prompt to the leader alone', () => {
    const activities = [
      { id: 'oevebane', kind: 'practicePrompt', timing: { type: 'workingDays', forWeeks: 1, time: '10:00' } },
      { id: 'handleplan', kind: 'actionPlan', audience: ['leader'], timing: { type: 'offset', days: 1, time: '09:00' } },
      { id: 'samtale', kind: 'learningConversation', audience: ['leader', 'staff'], timing: { type: 'offset', days: 2, time: '09:00' } },
      { id: 'leder', kind: 'reflectionPrompt', audience: ['leader'], timing: { type: 'offset', days: 3, time: '09:00' } },
    ];
    const p = tinyProgramme(activities);
    const sends = sendsOf(p, buildPlan(p, { start: '2026-09-07' }, calendar), calendar);
    expect([...sends.values()].flat().filter((s) => s.kind === 'closeSummary')).toEqual([]);
  });

  it('none where the programme sums the activity up itself with a summary activity: never two summaries', () => {
    const questionnaire = { id: 'puls', kind: 'questionnaire', windowDays: 14, timing: { type: 'offset', days: 0, time: '09:00' } };
    const summary = { id: 'opsummering', kind: 'summary', timing: { type: 'after', activity: 'puls', anchor: 'end', days: 1, time: '09:00' } };
    expect(summaryOf([questionnaire, summary], 'puls').send).toBeUndefined();
    expect(summaryOf([questionnaire], 'puls').send).toBeDefined();
  });

  it('the built-in programmes: Odense’s nine themes and STUK’s follow-up; not the questionnaires Odense sums up, nor Kolding’s redegørelse', () => {
    const summed = (id: string) => {
      const { plan, sends } = planned(id);
      return plan.occurrences.filter((o) => sends.get(o.id)!.some((s) => s.kind === 'closeSummary')).map((o) => o.activityId);
    };
    expect(summed('odense-science-boernehoejde')).toEqual(['tema-1-1', 'tema-1-2', 'tema-1-3', 'tema-2-1', 'tema-2-2', 'tema-2-3', 'tema-3-1', 'tema-3-2', 'tema-3-3']);
    expect(summed('stuk-vejledningsforloeb')).toHaveLength(1);
    for (const id of ['sevu-kollegial-sparring', 'skolverket-kollegialt-larande', 'kolding-laeringssamtale']) expect(summed(id), id).toEqual([]);
    const { plan, sends } = planned('odense-science-boernehoejde');
    for (const o of plan.occurrences) {
      const close = sends.get(o.id)!.find((s) => s.kind === 'closeSummary');
      if (close) expect(close).toMatchObject({ key: `${o.id}#summary`, card: 'summary', occurrenceId: o.id });
    }
  });
});

describe('reminders to those who have not answered', () => {
  const calendar = createCalendar({ country: 'DK' });
  const questionnaire = { id: 'puls', kind: 'questionnaire', windowDays: 14, anonymous: true, timing: { type: 'offset', weeks: 0, time: '09:00' } };
  const sendsFor = (activity: Record<string, unknown>, programme: Record<string, unknown> = {}, start = '2026-09-07') => {
    const p = { ...tinyProgramme([activity]), ...programme } as Programme;
    const plan = buildPlan(p, { start }, calendar);
    return sendsOf(p, plan, calendar).get(String(activity['id']))!;
  };
  const reminders = (sends: Send[]) => sends.filter((s) => s.kind === 'answerReminder').map((s) => [s.key, s.at, s.until, s.card, s.audience]);

  it('by default 3 and 1 working days before the close at 08:00, until the close, to the audience', () => {
    // Open Monday 7 September 09:00 for 14 days: it closes Monday 21st 09:00 (07:00Z).
    expect(reminders(sendsFor(questionnaire))).toEqual([
      ['puls#nudge-3', '2026-09-16T06:00:00Z', '2026-09-21T07:00:00Z', 'answer-reminder', ['staff']],
      ['puls#nudge-1', '2026-09-18T06:00:00Z', '2026-09-21T07:00:00Z', 'answer-reminder', ['staff']],
    ]);
  });

  it('the programme’s days for every activity, an activity’s own over them; [] is none', () => {
    expect(reminders(sendsFor(questionnaire, { reminders: { daysBeforeClose: [5] } })).map((r) => r.slice(0, 2))).toEqual([['puls#nudge-5', '2026-09-14T06:00:00Z']]);
    expect(reminders(sendsFor({ ...questionnaire, reminders: { daysBeforeClose: [2] } }, { reminders: { daysBeforeClose: [5] } })).map((r) => r.slice(0, 2))).toEqual([
      ['puls#nudge-2', '2026-09-17T06:00:00Z'],
    ]);
    expect(reminders(sendsFor({ ...questionnaire, reminders: { daysBeforeClose: [] } }))).toEqual([]);
    expect(reminders(sendsFor(questionnaire, { reminders: { daysBeforeClose: [] } }))).toEqual([]);
  });

  it('the activity’s send time; 08:00 stays 08:00 local across the change to winter time', () => {
    // Opens Monday 19 October, closes Monday 2 November (after 25 October): CEST before, CET after.
    const late = { ...questionnaire, timing: { type: 'offset', weeks: 6, time: '09:00' } };
    expect(reminders(sendsFor(late)).map((r) => r[1])).toEqual(['2026-10-28T07:00:00Z', '2026-10-30T07:00:00Z']);
    expect(reminders(sendsFor({ ...late, notice: { time: '12:30' } })).map((r) => r[1])).toEqual(['2026-10-28T11:30:00Z', '2026-10-30T11:30:00Z']);
  });

  it('only after the card went out and before the close; none for a reflection without a close, nor for other kinds', () => {
    // Open 3 days: 3 working days before the close is before the card; 1 is after it.
    expect(reminders(sendsFor({ ...questionnaire, windowDays: 3 })).map((r) => r[0])).toEqual(['puls#nudge-1']);
    expect(reminders(sendsFor({ ...questionnaire, windowDays: 1 }))).toEqual([]);
    expect(reminders(sendsFor({ id: 'refleksion', kind: 'reflectionPrompt', timing: { type: 'offset', weeks: 0, time: '09:00' } }))).toEqual([]);
    expect(reminders(sendsFor({ id: 'refleksion', kind: 'reflectionPrompt', windowDays: 7, timing: { type: 'offset', weeks: 0, time: '09:00' } })).map((r) => r[0])).toEqual([
      'refleksion#nudge-3',
      'refleksion#nudge-1',
    ]);
    expect(reminders(sendsFor({ id: 'oevebane', kind: 'practicePrompt', windowDays: 7, timing: { type: 'offset', weeks: 0, time: '09:00' } }))).toEqual([]);
  });

  it('two that fall on one day across a break are one reminder', () => {
    // Closes Monday 19 October, after the autumn break (week 42): 1 and 3 working days back are Thursday and Tuesday before it.
    const acrossBreak = { ...questionnaire, timing: { type: 'offset', weeks: 4, time: '09:00' } };
    expect(reminders(sendsFor(acrossBreak)).map((r) => r.slice(0, 2))).toEqual([
      ['puls#nudge-3', '2026-10-07T06:00:00Z'],
      ['puls#nudge-1', '2026-10-09T06:00:00Z'],
    ]);
    expect(reminders(sendsFor({ ...acrossBreak, reminders: { daysBeforeClose: [1, 2] } })).map((r) => r[0])).toEqual(['puls#nudge-2', 'puls#nudge-1']);
  });

  it('a programme file with reminders on another kind is refused, naming the field', () => {
    const p = { ...tinyProgramme([questionnaire]) } as Record<string, unknown>;
    const bad = {
      ...p,
      phases: [
        {
          id: 'only',
          title: { da: 'x', sv: 'x', en: 'x' },
          activities: [
            {
              ...questionnaire,
              title: { da: 'x', sv: 'x', en: 'x' },
              audience: ['staff'],
              durationMinutes: 5,
              kind: 'meeting',
              windowDays: undefined,
              anonymous: false,
              reminders: { daysBeforeClose: [1] },
            },
          ],
        },
      ],
    };
    const parsed = programmeSchema.safeParse(bad);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toContain('phases.0.activities.0.reminders');
    expect(programmeSchema.safeParse({ ...p, reminders: { daysBeforeClose: [3, 3] } }).success).toBe(false);
  });

  it('Odense: each anonymous pulse is reminded on the Wednesday and Friday before it closes', () => {
    const { plan, sends } = planned('odense-science-boernehoejde');
    const pulses = plan.occurrences.filter((o) => o.kind === 'questionnaire');
    expect(pulses.length).toBe(3);
    for (const o of pulses)
      expect(
        sends
          .get(o.id)!
          .filter((s) => s.kind === 'answerReminder')
          .map((s) => s.key),
      ).toEqual([`${o.id}#nudge-3`, `${o.id}#nudge-1`]);
  });
});
