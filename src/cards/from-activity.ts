import { DateTime } from 'luxon';
import type { Activity, Locale, Programme, Question, Role } from '../domain/programme/schema.ts';
import type { Summary } from '../domain/replies/summary.ts';
import type { Occurrence } from '../domain/timeline/types.ts';
import { occurrenceTitle } from '../plan/localize.ts';
import type { CardName, ViewModelInput } from './view-models.ts';
import { MAIN_CARD } from '../domain/timeline/sends.ts';

/**
 * The card an occurrence is shown as, with its content taken from the programme in the
 * reader's language. Pure: the caller passes what it knows of the team (guide, deadlines).
 */

export interface CardContext {
  programme: Programme;
  activity: Activity;
  occurrence: Occurrence;
  locale: Locale;
  timeZone: string;
  /** The guide's name, for the pre-visit form. */
  guideName?: string;
  /** When the occurrence this one prepares for starts (the visit of a pre-visit mail, the conversation of an I DO ART draft). */
  targetStart?: string;
  /** Whether a mail can reach the guide; without, the pre-visit form says so before the leaders write it. */
  mailRoute?: boolean;
  /** The occurrence's .ics link, for the notice's and reminder's "add to calendar". */
  calendarUrl?: string;
  /** What the team wrote so far, by question id: a form starts with it (the handleplan, the shared I DO ART draft). */
  values?: Record<string, string>;
  /** Where the shared I DO ART draft stands. */
  draft?: { status: 'draft' | 'sentBack' | 'approved'; comment?: string; versions: Array<{ by?: string; at: string; status: 'draft' | 'sentBack' | 'approved' }> };
  /** The handleplan's tiltag, for the læringssamtale's card. */
  tiltag?: Array<{ label: string; value: string }>;
  /** Who a beslutningsreferat goes to, by role name. */
  goesTo?: string;
}

/** A card to render: its name, its data and, when the programme brings its own, the template. */
export type AnyCard = { [N in CardName]: { name: N; data: ViewModelInput<N>; template?: object } }[CardName];

/**
 * Which card each kind of activity is posted as: the domain's list (src/domain/timeline/sends.ts, which cannot
 * name the cards' type); every name in it is a card (test/unit/cards/cards.test.ts). Kinds missing there are
 * calendar entries with a notice only.
 */
export const CARD_OF_KIND = MAIN_CARD as Partial<Record<Activity['kind'], CardName>>;

/** A form's fields; `startsAs` gives a field its starting value. */
function fields(questions: Question[], locale: Locale, startsAs: (q: Question) => string | undefined = () => undefined) {
  return questions.map((q) => {
    const value = startsAs(q);
    return {
      id: q.id,
      label: q.text[locale],
      kind: q.answer === 'date' || q.answer === 'number' ? q.answer : ('text' as const),
      ...(q.help ? { group: q.help[locale] } : {}),
      ...(value === undefined ? {} : { value }),
    };
  });
}

/** The activity's text in the reader's language, with its `link` (label and address, as plain text) below it. */
function withLink(activity: Activity, locale: Locale): string | undefined {
  const text = activity.text?.[locale];
  if (!activity.link) return text;
  const link = `${activity.link.label[locale]}: ${activity.link.url}`;
  return text ? `${text}\n\n${link}` : link;
}

export function cardFor(ctx: CardContext): AnyCard | undefined {
  const card = builtInCardFor(ctx);
  const template = ctx.activity.card?.template;
  return card && template ? { ...card, template } : card;
}

function builtInCardFor(ctx: CardContext): AnyCard | undefined {
  const { programme, activity, occurrence, locale } = ctx;
  const ref = { programmeId: programme.id, activityId: activity.id, occurrenceId: occurrence.id };
  const programmeTitle = programme.title[locale];
  const title = occurrenceTitle(activity, occurrence, locale);
  const text = withLink(activity, locale);
  const questions = activity.questions.map((q) => ({ id: q.id, text: q.text[locale], ...(q.help ? { help: q.help[locale] } : {}) }));
  const opt = <K extends string, V>(key: K, value: V | undefined) => (value === undefined ? {} : ({ [key]: value } as Record<K, V>));
  const written = (q: Question) => ctx.values?.[q.id];

  switch (CARD_OF_KIND[activity.kind]) {
    case 'practice-prompt': {
      const date = localDate(occurrence.start, ctx.timeZone);
      return { name: 'practice-prompt', data: { ref, programmeTitle, title, task: text ?? title, date, minutes: activity.durationMinutes } };
    }
    case 'reflection-prompt':
      return {
        name: 'reflection-prompt',
        data: { ref, programmeTitle, title, ...opt('text', text), questions, anonymous: activity.anonymous, ...opt('closesAt', activity.windowDays ? occurrence.end : undefined) },
      };
    case 'sparring-agenda':
      return {
        name: 'sparring-agenda',
        data: {
          ref,
          programmeTitle,
          title,
          startsAt: occurrence.start,
          minutes: activity.timeBox ?? { min: activity.durationMinutes, max: activity.durationMinutes },
          ...opt('groupSize', activity.groupSize),
          questions: questions.map((q) => q.text),
        },
      };
    case 'pre-visit-form':
      return {
        name: 'pre-visit-form',
        data: {
          ref,
          programmeTitle,
          title,
          ...opt('text', text),
          guideName: ctx.guideName ?? '–',
          ...opt('visitAt', ctx.targetStart),
          dueAt: occurrence.start,
          mailRoute: ctx.mailRoute ?? true,
          // The meeting's date starts as the plan's; the leaders may set their own.
          fields: fields(activity.questions, locale, (q) => (q.meetingDate && ctx.targetStart ? localDate(ctx.targetStart, ctx.timeZone) : undefined)),
        },
      };
    case 'questionnaire':
      return {
        name: 'questionnaire',
        data: {
          ref,
          programmeTitle,
          title,
          ...opt('text', text),
          anonymous: activity.anonymous,
          closesAt: occurrence.end,
          items: activity.questions.map((q) => ({
            id: q.id,
            text: q.text[locale],
            ...(q.help ? { help: q.help[locale] } : {}),
            kind: q.answer === 'scale' ? ('scale' as const) : ('text' as const),
          })),
        },
      };
    case 'ido-art-draft': {
      const draft = ctx.draft;
      return {
        name: 'ido-art-draft',
        data: {
          ref,
          programmeTitle,
          title,
          ...opt('text', text),
          ...opt('conversationAt', ctx.targetStart),
          sections: fields(activity.questions, locale, written),
          ...(draft ? { status: draft.status, ...opt('comment', draft.comment), versions: draft.versions } : {}),
        },
      };
    }
    case 'action-plan':
      return { name: 'action-plan', data: { ref, programmeTitle, title, ...opt('text', text), fields: fields(activity.questions, locale, written) } };
    case 'decision-minutes':
      return {
        name: 'decision-minutes',
        data: { ref, programmeTitle, title, ...opt('text', text), ...opt('meetingAt', ctx.targetStart), fields: fields(activity.questions, locale, written), ...opt('goesTo', ctx.goesTo) },
      };
    case 'learning-conversation':
      return {
        name: 'learning-conversation',
        data: { ref, programmeTitle, title, ...opt('text', text), startsAt: occurrence.start, phases: activity.agenda.map((p) => p[locale]), tiltag: ctx.tiltag ?? [], questions },
      };
    case 'module-part':
      return {
        name: 'module-part',
        data: {
          ref,
          programmeTitle,
          title,
          ...opt('text', text),
          part: occurrence.part ?? 1,
          startsAt: occurrence.start,
          moments: (occurrence.moments ?? []).flatMap((letter) => {
            const asks = activity.moments?.[letter]?.[locale];
            return asks ? [{ letter, text: asks }] : [];
          }),
        },
      };
    case 'task':
      return { name: 'task', data: { ref, programmeTitle, title, ...opt('text', text), dueAt: occurrence.start, minutes: activity.durationMinutes } };
    default:
      return undefined;
  }
}

/** What a notice and a reminder both say of a meeting: which, when, and where to add it to a calendar. */
function meetingFields(ctx: CardContext) {
  const { programme, activity, occurrence, locale } = ctx;
  return {
    ref: { programmeId: programme.id, activityId: activity.id, occurrenceId: occurrence.id },
    programmeTitle: programme.title[locale],
    title: occurrenceTitle(activity, occurrence, locale),
    startsAt: occurrence.start,
    endsAt: occurrence.end,
    ...(ctx.calendarUrl ? { calendarUrl: ctx.calendarUrl } : {}),
  };
}

/** The notice of a meeting-like occurrence ahead of time: what, when, who, its agenda or methods, what to prepare. */
export function noticeCardFor(ctx: CardContext, audience: Role[]): AnyCard {
  const { activity, locale } = ctx;
  return {
    name: 'notice',
    data: {
      ...meetingFields(ctx),
      ...(activity.text || activity.link ? { text: withLink(activity, locale) } : {}),
      roles: audience,
      listAs: activity.notice?.agendaIs ?? 'agenda',
      agenda: activity.agenda.map((a) => a[locale]),
      questions: activity.questions.map((q) => q.text[locale]),
      ...(activity.notice?.prepare ? { prepare: activity.notice.prepare[locale] } : {}),
    },
  };
}

/** The short reminder on the morning of the day. */
export function reminderCardFor(ctx: CardContext): AnyCard {
  return { name: 'reminder', data: meetingFields(ctx) };
}

/** To the guide: the plan for their visit (Bilag B) did not come by its deadline, the occurrence's start. */
export function planLateCardFor(ctx: CardContext & { targetStart: string }): AnyCard {
  const { programme, activity, occurrence, locale } = ctx;
  return { name: 'plan-late', data: { programmeTitle: programme.title[locale], title: occurrenceTitle(activity, occurrence, locale), visitAt: ctx.targetStart, dueAt: occurrence.start } };
}

/** The instant's date (YYYY-MM-DD) in the zone. */
function localDate(iso: string, zone: string): string {
  return DateTime.fromISO(iso, { zone }).toISODate() ?? iso.slice(0, 10);
}

/** The summary card for an occurrence's summary; `next` is what the team does after it. */
export function summaryCardFor(
  programme: Programme,
  activity: Activity,
  occurrenceId: string,
  summary: Summary,
  locale: Locale,
  next?: { title: string; startsAt: string },
): ViewModelInput<'summary'> {
  return {
    ref: { programmeId: programme.id, activityId: activity.id, occurrenceId },
    programmeTitle: programme.title[locale],
    title: activity.title[locale],
    invited: summary.invited,
    answered: summary.answered,
    anonymous: summary.anonymous,
    threshold: summary.threshold,
    closesAt: summary.closesAt,
    // Before the close an anonymous summary holds participation only and says when the answers come.
    beforeClose: summary.anonymous && !summary.closed,
    items: summary.items,
    ...(next ? { next } : {}),
  };
}
