// The samples of the commands' replies (help, plan, roles, calendar, status, hours): apart from the cards that
// activities send, as they answer a person's command.
import type { CardName } from '../view-models.ts';
import { createCalendar } from '../../domain/calendar/calendar.ts';
import type { Locale } from '../../domain/programme/schema.ts';
import { activitiesById } from '../../domain/programme/activities.ts';
import { buildPlan } from '../../domain/timeline/plan.ts';
import { KOLDING, ODENSE, occurrenceOf, RUNS, type SampleOf, SEVU, sources } from './sources.ts';

/** Sample data only: the commands themselves live in src/app/commands. */
const COMMANDS = ['help', 'agenda', 'plan', 'status', 'hours', 'summary', 'calendar', 'role', 'handleplan', 'reminders'];

export const COMMAND_SAMPLES = {
  error: () => ({ code: 'unknownCommand', choices: [...COMMANDS] }),
  help: () => ({ commands: [...COMMANDS] }),
  plan: (locale) => {
    const odense = sources().programmes.get(ODENSE)!;
    const run = RUNS[ODENSE]!;
    const activities = activitiesById(odense);
    const upcoming = buildPlan(odense, { start: run.start }, createCalendar({ country: run.country }))
      .occurrences.filter((o) => o.start >= '2026-09-01')
      .slice(0, 6);
    return { programmeTitle: odense.title[locale], entries: upcoming.map((o) => ({ at: o.start, title: activities.get(o.activityId)!.title[locale] })) };
  },
  roles: (locale) => {
    return {
      programmeTitle: sources().programmes.get(ODENSE)!.title[locale],
      members: [
        { name: 'Lene Bach', roles: ['leader'] },
        { name: 'Søren Holt', roles: ['facilitator'] },
        { name: 'Aisha Rahimi', roles: ['staff'] },
        { name: 'Mette Holm', roles: ['guide'] },
      ],
      changed: { name: 'Søren Holt', role: 'facilitator' },
      usage: ['/sparring role', '/sparring role <navn> leader|facilitator|staff|consultant|guide'],
    };
  },
  calendar: (locale) => koldingCalendar('calendar', locale),
  'plan-changed': (locale) => koldingCalendar('plan-changed', locale),
  status: (locale) => {
    const odense = sources().programmes.get(ODENSE)!;
    const activities = activitiesById(odense);
    const title = (id: string) => activities.get(id)!.title[locale];
    const next = occurrenceOf(ODENSE, 'spoergeskema-2', locale);
    return {
      programmeTitle: odense.title[locale],
      rows: [
        { title: title('tema-1-1'), answered: 4, invited: 4 },
        { title: title('oevebane-1-3'), answered: 3, invited: 4 },
        { title: title('spoergeskema-1'), answered: 9, invited: 12 },
      ],
      next: { title: next.activity.title[locale], at: next.occurrence.start },
      deadLetters: 1,
      late: [{ title: title('mail-til-vejleder-1'), dueAt: occurrenceOf(ODENSE, 'mail-til-vejleder-1', locale).occurrence.start }],
    };
  },
  hours: (locale) => {
    // SEVU's facilitator after the second theme meeting, who stayed an hour longer at the first; the team beside.
    const ctx = occurrenceOf(SEVU, 'opstart', locale);
    const booking = (activityId: string) => ({ id: ctx.find(activityId).id, title: activitiesById(ctx.programme).get(activityId)!.title[locale], at: ctx.find(activityId).start });
    return {
      programmeTitle: ctx.programme.title[locale],
      ref: { programmeId: SEVU, userId: '29:soeren' },
      used: 10.5,
      budget: 27,
      bookings: [
        { ...booking('temamoede-3'), hours: 4 },
        { ...booking('temamoede-1'), hours: 5, planned: 4 },
        { ...booking('opstart'), hours: 1.5 },
      ],
      team: {
        people: [
          { name: 'Lene Bach', used: 1.5 },
          { name: 'Søren Holt', used: 10.5, budget: 27 },
          { name: 'Aisha Rahimi', used: 11.5, budget: 13 },
          { name: 'Mikkel Lund', used: 13.5, budget: 13 },
        ],
        total: 37,
      },
    };
  },
  'hours-warning': (locale) => {
    // STUK's punch card, drawn on by monthly sparring: the ninth session would pass its ten hours.
    const stuk = sources().programmes.get('stuk-vejledningsforloeb')!;
    const plan = buildPlan(stuk, { start: RUNS['stuk-vejledningsforloeb']!.start, settings: { klippekort: 'maanedlig' } }, createCalendar({ country: 'DK' }));
    const ninth = plan.occurrences.filter((o) => o.activityId === 'sparring')[8]!;
    return {
      programmeTitle: stuk.title[locale],
      title: activitiesById(stuk).get('sparring')!.title[locale],
      startsAt: ninth.start,
      people: [{ name: 'Karin Dahl', budget: 27, projected: 28.5, over: 1.5 }],
      punchCard: { budget: 10, projected: 10.5, over: 0.5 },
    };
  },
} satisfies Partial<Record<CardName, SampleOf>>;

/** The calendar command's reply, or the channel's notice of the plan's change, from the same change to Kolding's plan. */
function koldingCalendar(name: 'calendar' | 'plan-changed', locale: Locale) {
  // Kolding's school lets UCL's workshop set the second læringssamtale, and closes a day for a course.
  const kolding = sources().programmes.get(KOLDING)!;
  const second = occurrenceOf(KOLDING, 'laeringssamtale-2', locale);
  const title = second.activity.title[locale];
  const moved = [{ title, from: second.occurrence.start, to: new Date(Date.parse(second.occurrence.start) + 7 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z') }];
  if (name === 'plan-changed') return { programmeTitle: kolding.title[locale], moved };
  return {
    programmeTitle: kolding.title[locale],
    kind: 'school',
    closed: ['2026-11-13'],
    fixed: [{ id: second.occurrence.id, title, at: '2027-03-09T13:00' }],
    changed: true,
    moved,
    usage: ['/sparring calendar', '/sparring calendar closed 2027-01-04,2027-01-05', '/sparring calendar fix <id>=2027-02-02T17:00'],
  };
}
