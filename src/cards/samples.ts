import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createCalendar, DEFAULT_TIMEZONE } from '../domain/calendar/calendar.ts';
import type { Locale, Programme } from '../domain/programme/schema.ts';
import { buildPlan } from '../domain/timeline/plan.ts';
import type { Occurrence } from '../domain/timeline/types.ts';
import { activitiesById } from '../domain/programme/activities.ts';
import { roleNameOf } from '../domain/roles/names.ts';
import { checkedProgrammes } from '../programmes/built-in.ts';
import { BUILT_IN_DIR, loadProgrammes } from '../programmes/read.ts';
import { cardFor, noticeCardFor, reminderCardFor } from './from-activity.ts';
import { catalogue } from './strings.ts';
import type { CardName, ViewModelInput } from './view-models.ts';

/** Sample data only: the commands themselves live in src/app/commands. */
const COMMANDS = ['help', 'agenda', 'plan', 'status', 'hours', 'summary', 'calendar', 'role', 'handleplan', 'reminders'];

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

/**
 * Realistic data for every card, taken from the built-in programmes and planned from a real
 * start date, with example replies from cards/samples.json. `sparring card` and the gallery
 * show these; the tests render them in every locale.
 */

const SAMPLES_FILE = fileURLToPath(new URL('../../cards/samples.json', import.meta.url));

interface Replies {
  teamName: string;
  guideName: string;
  note: string;
  leaderQuestions: string[];
  visitPlan: Record<string, string>;
  idoArt: Record<string, string>;
  handleplan: Record<string, string>;
  leaderName: string;
  consultantName: string;
  themes: string[];
  freeText: string[];
}

let cache: { programmes: Map<string, Programme>; replies: Record<Locale, Replies> } | undefined;
function sources() {
  cache ??= {
    // As the build checked them, else read without the card checker: the samples use no programme's own template,
    // and `sparring card` then starts without loading the checker and adaptivecards.
    programmes: checkedProgrammes() ?? loadProgrammes([BUILT_IN_DIR], () => []),
    replies: JSON.parse(readFileSync(SAMPLES_FILE, 'utf8')) as Record<Locale, Replies>,
  };
  return cache;
}

/** The programmes' sample runs: Odense and Kolding from August 2026, Skolverket from week 38. */
const RUNS: Record<string, { start: string; country: 'DK' | 'SE' }> = {
  'odense-science-boernehoejde': { start: '2026-08-10', country: 'DK' },
  'kolding-laeringssamtale': { start: '2026-08-10', country: 'DK' },
  'skolverket-kollegialt-larande': { start: '2026-09-14', country: 'SE' },
  'sevu-kollegial-sparring': { start: '2026-09-07', country: 'DK' },
  'stuk-vejledningsforloeb': { start: '2026-09-07', country: 'DK' },
};

function occurrenceOf(programmeId: string, activityId: string, locale: Locale) {
  const programme = sources().programmes.get(programmeId);
  const run = RUNS[programmeId];
  if (!programme || !run) throw new Error(`no sample run for ${programmeId}`);
  const plan = buildPlan(programme, { start: run.start }, createCalendar({ country: run.country }));
  const find = (id: string): Occurrence => {
    const found = plan.occurrences.find((o) => o.activityId === id);
    if (!found) throw new Error(`${programmeId} has no occurrence of ${id}`);
    return found;
  };
  const activity = activitiesById(programme).get(activityId);
  if (!activity) throw new Error(`${programmeId} has no activity ${activityId}`);
  return { programme, activity, occurrence: find(activityId), find, locale, timeZone: DEFAULT_TIMEZONE };
}

function fromProgramme(programmeId: string, activityId: string, locale: Locale, target?: string) {
  const ctx = occurrenceOf(programmeId, activityId, locale);
  const card = cardFor({
    ...ctx,
    guideName: sources().replies[locale].guideName,
    ...(target ? { targetStart: ctx.find(target).start } : {}),
  });
  if (!card) throw new Error(`${activityId} has no card`);
  return card.data as Record<string, unknown>;
}

const ODENSE = 'odense-science-boernehoejde';
const SEVU = 'sevu-kollegial-sparring';

/** The answered card shows the note under the label the prompt asked with. */
const noteLabel = (locale: Locale) => String(catalogue(locale)['practice-prompt']?.['noteLabel']);
const KOLDING = 'kolding-laeringssamtale';
/** Kolding's roles for the skoleudviklingssamtale's referat, as the app names them from the programme. */
const MINUTES_GO_TO: Record<Locale, string> = { da: 'skoleleder (ledelsesteam), skolechef', sv: 'rektor (skolledning), skolchef', en: 'head of school (leadership team), director of schools' };
/** Sample data only: the notice's "add to calendar" link as a deployment with PUBLIC_URL gives it. */
const SAMPLE_CALENDAR_URL = 'https://sparring.example.dk/calendar/sample.ics';

export function sampleData<N extends CardName>(name: N, locale: Locale): ViewModelInput<N> {
  return sampleOf(name, locale) as ViewModelInput<N>;
}

function sampleOf(name: CardName, locale: Locale): unknown {
  const replies = sources().replies[locale];
  switch (name) {
    case 'practice-prompt':
      return fromProgramme(ODENSE, 'oevebane-1-3', locale);
    case 'reflection-prompt':
      return fromProgramme(ODENSE, 'tema-1-3', locale);
    case 'sparring-agenda':
      return { ...fromProgramme(ODENSE, 'sparringsmoede', locale), leaderQuestions: replies.leaderQuestions };
    case 'pre-visit-form':
      return fromProgramme(ODENSE, 'mail-til-vejleder-1', locale, 'vejledningsbesoeg-1');
    case 'plan-late': {
      const form = fromProgramme(ODENSE, 'mail-til-vejleder-1', locale, 'vejledningsbesoeg-1') as { programmeTitle: string; title: string; dueAt: string; visitAt: string };
      return { programmeTitle: form.programmeTitle, title: form.title, visitAt: form.visitAt, dueAt: form.dueAt };
    }
    case 'mail-failed': {
      const form = fromProgramme(ODENSE, 'mail-til-vejleder-1', locale, 'vejledningsbesoeg-1') as { title: string };
      return { title: form.title, to: 'mette.vejleder@example.org', reason: '550 5.1.1 <mette.vejleder@example.org>: Recipient address rejected: User unknown' };
    }
    case 'pre-visit-sent': {
      const form = fromProgramme(ODENSE, 'mail-til-vejleder-1', locale, 'vejledningsbesoeg-1') as {
        ref: unknown;
        title: string;
        dueAt: string;
        visitAt: string;
        fields: Array<{ id: string; label: string; kind: string }>;
      };
      return {
        ref: form.ref,
        title: form.title,
        guideName: replies.guideName,
        sentAt: form.dueAt,
        visitAt: form.visitAt,
        // The meeting's date is the visit's own; the rest are example replies.
        answers: form.fields.map((f) => (f.kind === 'date' ? { label: f.label, value: form.visitAt.slice(0, 10), kind: 'date' } : { label: f.label, value: replies.visitPlan[f.id] ?? '' })),
      };
    }
    case 'questionnaire':
      return fromProgramme(ODENSE, 'spoergeskema-1', locale);
    case 'ido-art-draft': {
      const draft = fromProgramme(KOLDING, 'idoart-1', locale, 'laeringssamtale-1') as { sections: Array<{ id: string }>; conversationAt: string };
      const at = (days: number) => new Date(Date.parse(draft.conversationAt) - days * 86_400_000).toISOString();
      return {
        ...draft,
        sections: draft.sections.map((s) => ({ ...s, value: replies.idoArt[s.id] ?? '' })),
        versions: [
          { by: replies.leaderName, at: at(9), status: 'draft' },
          { by: replies.consultantName, at: at(8), status: 'draft' },
        ],
      };
    }
    case 'action-plan': {
      const plan = fromProgramme(KOLDING, 'handleplan-1', locale) as { fields: Array<{ id: string }> };
      return { ...plan, fields: plan.fields.map((f) => ({ ...f, value: replies.handleplan[f.id] ?? '' })) };
    }
    case 'decision-minutes':
      return { ...fromProgramme(KOLDING, 'referat', locale, 'skoleudviklingssamtale'), goesTo: MINUTES_GO_TO[locale] };
    case 'learning-conversation': {
      const conversation = fromProgramme(KOLDING, 'laeringssamtale-1', locale);
      const plan = fromProgramme(KOLDING, 'handleplan-1', locale) as { fields: Array<{ id: string; label: string }> };
      const tiltag = plan.fields.filter((f) => ['hvad', 'hvem-hvornaar', 'tegn'].includes(f.id)).map((f) => ({ label: f.label, value: replies.handleplan[f.id]! }));
      return { ...(conversation as object), tiltag };
    }
    case 'document': {
      const plan = fromProgramme(KOLDING, 'handleplan-1', locale) as { title: string; programmeTitle: string; fields: Array<{ id: string; label: string; group?: string }> };
      return {
        kind: 'handleplan',
        title: plan.title,
        programmeTitle: plan.programmeTitle,
        by: replies.consultantName,
        at: '2026-11-03T08:12:00Z',
        fields: plan.fields.map((f) => ({ label: f.label, value: replies.handleplan[f.id]!, ...(f.group ? { group: f.group } : {}), changed: f.id === 'hvem-hvornaar' })),
        history: [
          { version: 2, by: replies.consultantName, at: '2026-11-03T08:12:00Z', changed: [plan.fields.find((f) => f.id === 'hvem-hvornaar')!.label] },
          { version: 1, by: replies.leaderName, at: '2026-10-28T13:40:00Z', changed: [] },
        ],
      };
    }
    case 'module-part':
      return fromProgramme('skolverket-kollegialt-larande', 'del', locale);
    case 'notice': {
      const ctx = occurrenceOf(KOLDING, 'laeringsworkshop', locale);
      return noticeCardFor({ ...ctx, calendarUrl: SAMPLE_CALENDAR_URL }, ctx.occurrence.audience).data;
    }
    case 'reminder': {
      const ctx = occurrenceOf(KOLDING, 'laeringsworkshop', locale);
      return reminderCardFor({ ...ctx, calendarUrl: SAMPLE_CALENDAR_URL }).data;
    }
    case 'task':
      return fromProgramme(KOLDING, 'temaer', locale);
    case 'answer-reminder': {
      // Odense's anonymous pulse, the Wednesday before it closes.
      const q = fromProgramme(ODENSE, 'spoergeskema-1', locale) as { ref: unknown; programmeTitle: string; title: string; closesAt: string };
      return { ref: q.ref, programmeTitle: q.programmeTitle, title: q.title, kind: 'questionnaire', anonymous: true, closesAt: q.closesAt };
    }
    case 'reminder-settings':
      return { programmeTitle: sources().programmes.get(ODENSE)!.title[locale], muted: true, changed: true, usage: ['/sparring reminders off', '/sparring reminders on'] };
    case 'summary': {
      const q = fromProgramme(ODENSE, 'spoergeskema-1', locale) as { ref: unknown; programmeTitle: string; title: string; closesAt: string; items: Array<{ id: string; text: string; kind: string }> };
      const next = occurrenceOf(ODENSE, 'spoergeskema-2', locale);
      return {
        ref: q.ref,
        programmeTitle: q.programmeTitle,
        title: q.title,
        invited: 12,
        answered: 9,
        anonymous: true,
        threshold: 5,
        closesAt: q.closesAt,
        themes: replies.themes,
        // The fifth item: one that fewer than the threshold answered, so it shows only that.
        items: q.items.map((item, i) =>
          i === 4
            ? { id: item.id, text: item.text, tooFew: true }
            : item.kind === 'scale'
              ? { id: item.id, text: item.text, counts: [1, 2, 3, 4, 5].map((value) => ({ value, count: [0, 1, 2, 4, 2][(value + i) % 5] ?? 0 })) }
              : { id: item.id, text: item.text, answers: replies.freeText },
        ),
        next: { title: next.activity.title[locale], startsAt: next.occurrence.start },
      };
    }
    case 'answered': {
      const prompt = fromProgramme(ODENSE, 'oevebane-1-3', locale) as { ref: unknown; title: string; date: string };
      return { ref: prompt.ref, title: prompt.title, answeredAt: `${prompt.date}T12:40:00Z`, outcome: 'done', answers: [{ label: noteLabel(locale), value: replies.note }] };
    }
    case 'expired': {
      const q = fromProgramme(ODENSE, 'spoergeskema-1', locale) as { ref: unknown; title: string; closesAt: string };
      return { ref: q.ref, title: q.title, closedAt: q.closesAt };
    }
    case 'error':
      return { code: 'unknownCommand', choices: [...COMMANDS] };
    case 'help':
      return { commands: [...COMMANDS] };
    case 'plan': {
      const odense = sources().programmes.get(ODENSE)!;
      const run = RUNS[ODENSE]!;
      const activities = activitiesById(odense);
      const upcoming = buildPlan(odense, { start: run.start }, createCalendar({ country: run.country }))
        .occurrences.filter((o) => o.start >= '2026-09-01')
        .slice(0, 6);
      return { programmeTitle: odense.title[locale], entries: upcoming.map((o) => ({ at: o.start, title: activities.get(o.activityId)!.title[locale] })) };
    }
    case 'roles':
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
    case 'calendar':
    case 'plan-changed': {
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
    case 'status': {
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
    }
    case 'hours': {
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
    }
    case 'hours-warning': {
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
    }
    case 'home': {
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
    }
    case 'welcome': {
      const odense = sources().programmes.get(ODENSE)!;
      const run = RUNS[ODENSE]!;
      const plan = buildPlan(odense, { start: run.start }, createCalendar({ country: run.country }));
      const first = plan.occurrences.find((o) => o.audience.includes('staff'))!;
      const roleName = roleNameOf(odense, 'staff', locale);
      return { teamName: replies.teamName, programmeTitle: odense.title[locale], programmeSummary: odense.summary[locale], role: 'staff', ...(roleName ? { roleName } : {}), firstAt: first.start };
    }
    case 'team-setup': {
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
    }
    case 'digest': {
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
    }
    case 'programme-started': {
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
    }
  }
}
