// The samples of the cards an activity sends (prompts, forms, documents, notices and reminders), each planned
// from a built-in programme's own activity: apart from the commands' replies and the overviews.
import type { CardName } from '../view-models.ts';
import type { Locale } from '../../domain/programme/schema.ts';
import { noticeCardFor, reminderCardFor } from '../from-activity.ts';
import { fromProgramme, KOLDING, ODENSE, occurrenceOf, type SampleOf } from './sources.ts';

/** Kolding's roles for the skoleudviklingssamtale's referat, as the app names them from the programme. */
const MINUTES_GO_TO: Record<Locale, string> = { da: 'skoleleder (ledelsesteam), skolechef', sv: 'rektor (skolledning), skolchef', en: 'head of school (leadership team), director of schools' };
/** Sample data only: the notice's "add to calendar" link as a deployment with PUBLIC_URL gives it. */
const SAMPLE_CALENDAR_URL = 'https://sparring.example.dk/calendar/sample.ics';

export const ACTIVITY_CARD_SAMPLES = {
  'practice-prompt': (locale) => fromProgramme(ODENSE, 'oevebane-1-3', locale),
  'reflection-prompt': (locale) => fromProgramme(ODENSE, 'tema-1-3', locale),
  'sparring-agenda': (locale, replies) => {
    return { ...fromProgramme(ODENSE, 'sparringsmoede', locale), leaderQuestions: replies.leaderQuestions };
  },
  'pre-visit-form': (locale) => fromProgramme(ODENSE, 'mail-til-vejleder-1', locale, 'vejledningsbesoeg-1'),
  'plan-late': (locale) => {
    const form = fromProgramme(ODENSE, 'mail-til-vejleder-1', locale, 'vejledningsbesoeg-1') as { programmeTitle: string; title: string; dueAt: string; visitAt: string };
    return { programmeTitle: form.programmeTitle, title: form.title, visitAt: form.visitAt, dueAt: form.dueAt };
  },
  'mail-failed': (locale) => {
    const form = fromProgramme(ODENSE, 'mail-til-vejleder-1', locale, 'vejledningsbesoeg-1') as { title: string };
    return { title: form.title, to: 'mette.vejleder@example.org', reason: '550 5.1.1 <mette.vejleder@example.org>: Recipient address rejected: User unknown' };
  },
  'pre-visit-sent': (locale, replies) => {
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
  },
  questionnaire: (locale) => fromProgramme(ODENSE, 'spoergeskema-1', locale),
  'ido-art-draft': (locale, replies) => {
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
  },
  'action-plan': (locale, replies) => {
    const plan = fromProgramme(KOLDING, 'handleplan-1', locale) as { fields: Array<{ id: string }> };
    return { ...plan, fields: plan.fields.map((f) => ({ ...f, value: replies.handleplan[f.id] ?? '' })) };
  },
  'decision-minutes': (locale) => {
    return { ...fromProgramme(KOLDING, 'referat', locale, 'skoleudviklingssamtale'), goesTo: MINUTES_GO_TO[locale] };
  },
  'learning-conversation': (locale, replies) => {
    const conversation = fromProgramme(KOLDING, 'laeringssamtale-1', locale);
    const plan = fromProgramme(KOLDING, 'handleplan-1', locale) as { fields: Array<{ id: string; label: string }> };
    const tiltag = plan.fields.filter((f) => ['hvad', 'hvem-hvornaar', 'tegn'].includes(f.id)).map((f) => ({ label: f.label, value: replies.handleplan[f.id]! }));
    return { ...(conversation as object), tiltag };
  },
  document: (locale, replies) => {
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
  },
  'module-part': (locale) => fromProgramme('skolverket-kollegialt-larande', 'del', locale),
  notice: (locale) => {
    const ctx = occurrenceOf(KOLDING, 'laeringsworkshop', locale);
    return noticeCardFor({ ...ctx, calendarUrl: SAMPLE_CALENDAR_URL }, ctx.occurrence.audience).data;
  },
  reminder: (locale) => {
    const ctx = occurrenceOf(KOLDING, 'laeringsworkshop', locale);
    return reminderCardFor({ ...ctx, calendarUrl: SAMPLE_CALENDAR_URL }).data;
  },
  task: (locale) => fromProgramme(KOLDING, 'temaer', locale),
} satisfies Partial<Record<CardName, SampleOf>>;
