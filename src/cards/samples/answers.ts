// The samples of the cards about answers (a reminder to answer, its setting, a questionnaire's summary, an answer
// recorded or too late): apart from the cards that ask for them.
import type { CardName } from '../view-models.ts';
import { fromProgramme, noteLabel, ODENSE, occurrenceOf, type SampleOf, sources } from './sources.ts';

export const ANSWER_SAMPLES = {
  'answer-reminder': (locale) => {
    // Odense's anonymous pulse, the Wednesday before it closes.
    const q = fromProgramme(ODENSE, 'spoergeskema-1', locale) as { ref: unknown; programmeTitle: string; title: string; closesAt: string };
    return { ref: q.ref, programmeTitle: q.programmeTitle, title: q.title, kind: 'questionnaire', anonymous: true, closesAt: q.closesAt };
  },
  'reminder-settings': (locale) => {
    return { programmeTitle: sources().programmes.get(ODENSE)!.title[locale], muted: true, changed: true, usage: ['/sparring reminders off', '/sparring reminders on'] };
  },
  summary: (locale, replies) => {
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
  },
  answered: (locale, replies) => {
    const prompt = fromProgramme(ODENSE, 'oevebane-1-3', locale) as { ref: unknown; title: string; date: string };
    return { ref: prompt.ref, title: prompt.title, answeredAt: `${prompt.date}T12:40:00Z`, outcome: 'done', answers: [{ label: noteLabel(locale), value: replies.note }] };
  },
  expired: (locale) => {
    const q = fromProgramme(ODENSE, 'spoergeskema-1', locale) as { ref: unknown; title: string; closesAt: string };
    return { ref: q.ref, title: q.title, closedAt: q.closesAt };
  },
} satisfies Partial<Record<CardName, SampleOf>>;
