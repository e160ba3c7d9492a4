// The samples of the overviews (a person's home, the welcome, the team's set-up, the monthly digest, a programme
// started): each drawn from a whole plan rather than one activity, so apart from the cards an activity sends.
import type { CardName } from '../view-models.ts';
import { createCalendar, DEFAULT_TIMEZONE } from '../../domain/calendar/calendar.ts';
import { activitiesById } from '../../domain/programme/activities.ts';
import { roleNameOf } from '../../domain/roles/names.ts';
import { buildPlan } from '../../domain/timeline/plan.ts';
import type { Occurrence } from '../../domain/timeline/types.ts';
import { fromProgramme, noteLabel, ODENSE, occurrenceOf, RUNS, type SampleOf, sources } from './sources.ts';

/** Sample data only: a team's people on the set-up card (Teams user id, name, role); `guide` takes the sample guide's name. */
const SETUP_MEMBERS = [
  ['29:lene', 'Lene Bach', 'leader'],
  ['29:soeren', 'Søren Holt', 'facilitator'],
  ['29:aisha', 'Aisha Rahimi', 'staff'],
  ['29:mikkel', 'Mikkel Lund', 'staff'],
  ['29:freja', 'Freja Nielsen', 'staff'],
  ['29:karin', 'Karin Dahl', 'consultant'],
  ['29:mette', 'guide', 'guide'],
] as const;

export const OVERVIEW_SAMPLES = {
  home: (locale, replies) => {
    // A staff member's home in week two: today's øvebane and a reflection waiting, the next five dates, two answers.
    const odense = sources().programmes.get(ODENSE)!;
    const run = RUNS[ODENSE]!;
    const activities = activitiesById(odense);
    const occurrences = buildPlan(odense, { start: run.start }, createCalendar({ country: run.country })).occurrences;
    type Ref = { programmeId: string; activityId: string; occurrenceId: string };
    const sentAt = (ref: Ref) => occurrences.find((o) => o.id === ref.occurrenceId)!.start;
    const reflection = fromProgramme(ODENSE, 'tema-1-3', locale) as { ref: Ref; title: string; closesAt?: string };
    const practice = fromProgramme(ODENSE, 'oevebane-1-3', locale) as { ref: Ref; title: string };
    const earlier = fromProgramme(ODENSE, 'tema-1-2', locale) as { ref: Ref; title: string; questions: Array<{ text: string }> };
    const done = fromProgramme(ODENSE, 'oevebane-1-2', locale) as { ref: Ref; title: string };
    const after = sentAt(practice.ref);
    const next = occurrences.filter((o) => o.start > after && o.audience.includes('staff')).slice(0, 5);
    return {
      programmeTitle: odense.title[locale],
      open: [
        { card: 'practice-prompt', verb: 'done', ref: practice.ref, title: practice.title, sentAt: sentAt(practice.ref) },
        {
          card: 'reflection-prompt',
          verb: 'answer',
          ref: reflection.ref,
          title: reflection.title,
          sentAt: sentAt(reflection.ref),
          ...(reflection.closesAt ? { closesAt: reflection.closesAt } : {}),
        },
      ],
      next: next.map((o) => ({ title: activities.get(o.activityId)!.title[locale], at: o.start })),
      answers: [
        { title: done.title, at: sentAt(done.ref).replace(/T.*$/, 'T12:40:00Z'), outcome: 'done', answers: [{ label: noteLabel(locale), value: replies.note }] },
        {
          title: earlier.title,
          at: sentAt(earlier.ref).replace(/T.*$/, 'T19:05:00Z'),
          outcome: 'answered',
          answers: earlier.questions.map((q, i) => ({ label: q.text, value: replies.freeText[i % replies.freeText.length]! })),
        },
      ],
    };
  },
  welcome: (locale, replies) => {
    const odense = sources().programmes.get(ODENSE)!;
    const run = RUNS[ODENSE]!;
    const plan = buildPlan(odense, { start: run.start }, createCalendar({ country: run.country }));
    const first = plan.occurrences.find((o) => o.audience.includes('staff'))!;
    const roleName = roleNameOf(odense, 'staff', locale);
    return { teamName: replies.teamName, programmeTitle: odense.title[locale], programmeSummary: odense.summary[locale], role: 'staff', ...(roleName ? { roleName } : {}), firstAt: first.start };
  },
  'team-setup': (locale, replies) => {
    // The form as the installer gets it: every built-in programme, Skolverket's settings, the team's people.
    const programmes = [...sources().programmes.values()];
    const country = locale === 'sv' ? 'SE' : 'DK';
    return {
      team: { tenant: 'contoso-tenant', team: '19:solsikken@thread.tacv2' },
      teamName: replies.teamName,
      installedBy: '29:lene',
      channelId: '19:solsikken@thread.tacv2',
      programmes: programmes.map((p) => ({ id: p.id, title: p.title[locale] })),
      programmeId: ODENSE,
      settings: programmes.flatMap((p) =>
        p.settings.map((s) => ({
          id: `${p.id}:${s.id}`,
          label: `${p.title[locale]}: ${s.label[locale]}`,
          value: s.default,
          choices: s.choices.map((c) => ({ title: c.label[locale], value: c.value })),
        })),
      ),
      start: RUNS[ODENSE]!.start,
      country,
      timeZone: country === 'SE' ? 'Europe/Stockholm' : DEFAULT_TIMEZONE,
      locale,
      members: SETUP_MEMBERS.map(([id, name, role]) => ({ id, name: name === 'guide' ? replies.guideName : name, role })),
      moreMembers: 3,
    };
  },
  digest: (locale) => {
    // Odense's September as its leader reads it early in October: the month's answers, Bilag B not sent, hours booked, October.
    const odense = sources().programmes.get(ODENSE)!;
    const activities = activitiesById(odense);
    const occurrences = buildPlan(odense, { start: RUNS[ODENSE]!.start }, createCalendar({ country: RUNS[ODENSE]!.country })).occurrences;
    const inMonth = (o: Occurrence, month: string) => o.start.startsWith(month);
    const grouped = (month: string, kinds?: ReadonlySet<string>) => {
      const rows = new Map<string, { title: string; at: string; times: number }>();
      for (const o of occurrences.filter((x) => inMonth(x, month) && (!kinds || kinds.has(x.kind)))) {
        const row = rows.get(o.activityId);
        rows.set(o.activityId, row ? { ...row, times: row.times + 1 } : { title: activities.get(o.activityId)!.title[locale], at: o.start, times: 1 });
      }
      return [...rows.values()];
    };
    const invited = 9;
    const participation = grouped('2026-09', new Set(['reflectionPrompt', 'practicePrompt', 'questionnaire'])).map((r, i) => ({
      title: r.title,
      times: r.times,
      invited: invited * r.times,
      answered: Math.round(invited * r.times * [0.8, 0.55, 0.7][i % 3]!),
    }));
    const next = grouped('2026-10');
    const form = occurrenceOf(ODENSE, 'mail-til-vejleder-1', locale);
    return {
      programmeTitle: odense.title[locale],
      month: '2026-09-01',
      participation,
      openForms: [{ title: form.activity.title[locale], dueAt: form.occurrence.start }],
      hours: {
        total: 41.5,
        byRole: [
          { role: 'staff', hours: 31.5 },
          { role: 'leader', hours: 6 },
          { role: 'facilitator', hours: 4 },
        ],
      },
      next: next.slice(0, 8),
      moreNext: Math.max(0, next.length - 8),
    };
  },
  'programme-started': (locale) => {
    // Skolverket's school module, as the channel hears of it: the settings and the first three dates.
    const ctx = occurrenceOf('skolverket-kollegialt-larande', 'del', locale);
    const run = RUNS['skolverket-kollegialt-larande']!;
    const plan = buildPlan(ctx.programme, { start: run.start }, createCalendar({ country: run.country }));
    const titleOf = (o: Occurrence) =>
      activitiesById(ctx.programme)
        .get(o.activityId)!
        .title[locale].replaceAll('{part}', String(o.part ?? ''))
        .replaceAll('{moments}', (o.moments ?? []).join(', '));
    return {
      programmeTitle: ctx.programme.title[locale],
      start: run.start,
      settings: ctx.programme.settings.map((s) => ({ label: s.label[locale], value: s.choices.find((c) => c.value === s.default)!.label[locale] })),
      first: plan.occurrences.slice(0, 3).map((o) => ({ at: o.start, title: titleOf(o) })),
      more: plan.occurrences.length - 3,
    };
  },
} satisfies Partial<Record<CardName, SampleOf>>;
