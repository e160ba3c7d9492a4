import ical from 'ical-generator';
import type { Mail } from '../app/ports.ts';
import { formatterFor } from '../cards/strings.ts';
import type { Locale } from '../domain/programme/schema.ts';

/**
 * The pre-visit mail (Bilag B) to the guide: the leaders' answers, and the visit as a calendar
 * invitation. Built from what the form sent; the wording is in cards/locales (`mail`).
 */
export function preVisitMail(input: {
  to: string;
  locale: Locale;
  timeZone: string;
  visit: { id: string; start: string; end: string };
  answers: Array<{ label: string; value: string }>;
  /** Stable across sends, so a changed plan updates the guide's calendar entry instead of adding one. */
  uid: string;
  sentAt: Date;
}): Mail {
  const format = formatterFor('mail', input.locale, input.timeZone);
  const visitAt = new Date(input.visit.start);
  const calendar = ical({ prodId: { company: 'Sparringsbot', product: 'pre-visit mail', language: input.locale.toUpperCase() } });
  calendar.createEvent({
    id: input.uid,
    start: visitAt,
    end: new Date(input.visit.end),
    stamp: input.sentAt,
    summary: format('eventTitle'),
    description: input.answers.map((a) => `${a.label}\n${a.value}`).join('\n\n'),
  });
  return {
    to: input.to,
    subject: format('preVisitSubject', { visitAt }),
    text: [format('preVisitIntro', { visitAt }), '', ...input.answers.flatMap((a) => [a.label, a.value || '–', ''])].join('\n').trimEnd(),
    ics: calendar.toString(),
  };
}

/** To the guide when the leaders' plan (Bilag B) has not come by its deadline. */
export function planLateMail(input: { to: string; locale: Locale; timeZone: string; visitAt: string; dueAt: string }): Mail {
  const format = formatterFor('mail', input.locale, input.timeZone);
  const params = { visitAt: new Date(input.visitAt), dueAt: new Date(input.dueAt) };
  return { to: input.to, subject: format('lateSubject', params), text: format('lateText', params) };
}
