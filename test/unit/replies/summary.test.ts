// An anonymous summary gives nothing away: no answers before the close, the threshold counted per
// question after it, and never more answered than were asked. Named summaries show what came in.
import { describe, expect, it } from 'vitest';
import { summaryCardFor } from '../../../src/cards/from-activity.ts';
import { renderAdaptiveCard, renderSlackCard } from '../../../src/cards/render.ts';
import { activitiesById } from '../../../src/domain/programme/activities.ts';
import { LOCALES, type Locale } from '../../../src/domain/programme/schema.ts';
import type { Answers } from '../../../src/domain/replies/reply.ts';
import { type SummaryInput, shuffleWith, summarise } from '../../../src/domain/replies/summary.ts';
import { programme } from '../../support/plans.ts';

const odense = programme('odense-science-boernehoejde');
const questionnaire = activitiesById(odense).get('spoergeskema-1')!;
const reflection = activitiesById(odense).get('tema-1-1')!;
const [q0, q1, q2, q3, q4, written] = questionnaire.questions.map((q) => q.id) as [string, string, string, string, string, string];
const CLOSES = '2026-08-24T07:00:00.000Z';
const BEFORE = new Date('2026-08-24T06:59:59Z');
const AFTER = new Date('2026-08-25T07:00:00Z');

/** Person n's answers: every scale item, and a written answer when `text` is given. */
const reply = (n: number, text?: string): Answers => ({
  outcome: 'answered',
  values: { [q0]: String((n % 5) + 1), [q1]: '4', [q2]: '3', [q3]: '5', [q4]: '2', ...(text ? { [written]: text } : {}) },
});

const input = (answers: Answers[], overrides: Partial<SummaryInput> = {}): SummaryInput => ({
  activity: questionnaire,
  locale: 'da',
  invited: 6,
  answers,
  anonymous: true,
  threshold: 5,
  closesAt: CLOSES,
  now: AFTER,
  shuffle: shuffleWith(() => 0.3),
  ...overrides,
});

/** Every text a person reads on the card. */
function texts(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(texts);
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, v]) => (['text', 'title', 'label', 'value'].includes(key) && typeof v === 'string' ? [v] : key === 'data' ? [] : texts(v)));
  }
  return [];
}
const card = (summary: ReturnType<typeof summarise>, locale: Locale) => summaryCardFor(odense, questionnaire, 'spoergeskema-1', summary, locale);

describe('an anonymous summary before the close', () => {
  it('read after every new answer, shows how many answered and never an answer', () => {
    const answers: Answers[] = [];
    for (let n = 1; n <= 6; n++) {
      answers.push(reply(n, `Tanke fra person ${n}`));
      const summary = summarise(input(answers, { now: BEFORE }));
      expect(summary).toMatchObject({ answered: n, invited: 6, closed: false, items: [] });
      const shown = JSON.stringify([renderAdaptiveCard('summary', card(summary, 'da'), { locale: 'da' }), renderSlackCard('summary', card(summary, 'da'), { locale: 'da' })]);
      expect(shown).toContain(`${n} af 6 har svaret`);
      expect(shown).not.toContain('Tanke fra');
    }
  });

  it('closes at the very instant of the close, and an unreadable close counts as still open', () => {
    expect(summarise(input([reply(1)], { now: new Date(CLOSES) })).closed).toBe(true);
    expect(
      summarise(
        input(
          [1, 2, 3, 4, 5].map((n) => reply(n)),
          { closesAt: 'snart' },
        ),
      ),
    ).toMatchObject({ closed: false, items: [] });
  });

  it.each([
    ['da', 'Svarene er anonyme og vises først, når svarfristen udløber mandag 24. august kl. 09.00.'],
    ['sv', 'Svaren är anonyma och visas först när svarstiden går ut måndag 24 augusti kl. 09:00.'],
    ['en', 'The answers are anonymous and are shown only once answering closes on Monday 24 August at 09:00.'],
  ] as const)('says in %s when the answers will be shown', (locale, says) => {
    const summary = summarise(
      input(
        [1, 2, 3, 4, 5, 6].map((n) => reply(n, 'Noget')),
        { now: BEFORE, locale },
      ),
    );
    const data = card(summary, locale);
    expect(data).toMatchObject({ beforeClose: true, closesAt: CLOSES });
    for (const rendered of [renderAdaptiveCard('summary', data, { locale }), renderSlackCard('summary', data, { locale })]) {
      expect(JSON.stringify(rendered)).toContain(says);
      // Neither the threshold note nor "shown in random order": the answers are not there yet.
      expect(JSON.stringify(rendered)).not.toMatch(/minst 5|at least 5|tilfældig|slumpvis|random order/);
    }
  });
});

describe('an anonymous summary after the close', () => {
  it('counts the threshold per question: an optional question one person of six answered shows none of it', () => {
    const answers = [reply(1, 'Kun min tanke'), ...[2, 3, 4, 5, 6].map((n) => reply(n))];
    const summary = summarise(input(answers));
    expect(summary.answered).toBe(6);
    for (const item of summary.items.slice(0, 5)) {
      expect(item.tooFew).toBe(false);
      expect(item.counts.reduce((sum, c) => sum + c.count, 0)).toBe(6);
    }
    expect(summary.items[5]).toMatchObject({ id: written, tooFew: true, counts: [], answers: [] });
    expect(JSON.stringify(summary)).not.toContain('Kun min tanke');
  });

  it('shows a question’s answers from exactly the threshold up, the written ones shuffled', () => {
    const answers = [1, 2, 3, 4, 5].map((n) => reply(n, `Tanke ${n}`));
    const summary = summarise(input(answers, { shuffle: (items) => [...items].reverse() }));
    expect(summary.items.every((item) => !item.tooFew)).toBe(true);
    expect(summary.items[0]?.counts).toEqual([1, 2, 3, 4, 5].map((value) => ({ value, count: 1 })));
    expect(summary.items[5]?.answers).toEqual(['Tanke 5', 'Tanke 4', 'Tanke 3', 'Tanke 2', 'Tanke 1']);
  });

  it('hides a scale question below the threshold, and blank answers do not count towards it', () => {
    const answers = [1, 2, 3, 4, 5, 6].map((n) => ({ outcome: 'answered' as const, values: { [q0]: '3', ...(n <= 4 ? { [q1]: '2' } : { [q1]: ' ' }) } }));
    const summary = summarise(input(answers));
    expect(summary.items[0]).toMatchObject({ tooFew: false });
    expect(summary.items[1]).toMatchObject({ tooFew: true, counts: [] });
  });

  it.each([
    ['da', 'Færre end 5 har svaret på dette spørgsmål, så svarene vises ikke.', 'Ingen svar.'],
    ['sv', 'Färre än 5 har svarat på den här frågan, så svaren visas inte.', 'Inga svar.'],
    ['en', 'Fewer than 5 answered this question, so its answers are not shown.', 'No answers.'],
  ] as const)('says in %s that too few answered a question, on Teams and on Slack', (locale, says, none) => {
    const answers = [reply(1, 'Kun min tanke'), ...[2, 3, 4, 5, 6].map((n) => reply(n))];
    const data = card(summarise(input(answers, { locale })), locale);
    const adaptive = renderAdaptiveCard('summary', data, { locale });
    expect(texts(adaptive).filter((t) => t === says)).toHaveLength(1);
    expect(texts(adaptive)).not.toContain(none);
    expect(JSON.stringify(adaptive)).not.toContain('Kun min tanke');
    expect(JSON.stringify(renderSlackCard('summary', data, { locale }))).toContain(says);
  });
});

describe('the count of who answered', () => {
  it.each([
    ['anonymous, after the close', {}],
    ['anonymous, before the close', { now: BEFORE }],
    ['named', { anonymous: false, activity: reflection }],
  ] as const)('never exceeds the number asked (%s)', (_name, overrides) => {
    const summary = summarise(
      input(
        [1, 2, 3, 4, 5, 6].map((n) => reply(n)),
        { ...overrides, invited: 5 },
      ),
    );
    expect(summary.answered).toBe(5);
    expect(JSON.stringify(renderAdaptiveCard('summary', card(summary, 'da'), { locale: 'da' }))).toContain('5 af 5 har svaret');
  });

  it('does not count answers beyond the number asked towards a question’s threshold either', () => {
    const summary = summarise(
      input(
        [1, 2, 3, 4, 5].map((n) => reply(n, `Tanke ${n}`)),
        { invited: 4 },
      ),
    );
    expect(summary.answered).toBe(4);
    expect(summary.items.every((item) => item.tooFew && item.answers.length === 0 && item.counts.length === 0)).toBe(true);
  });
});

describe('a named summary', () => {
  it('shows every answer as it comes, before the close too, whatever the threshold', () => {
    const [first] = reflection.questions;
    const answers: Answers[] = [{ outcome: 'answered', values: { [first!.id]: 'Vi leger mere ude' } }];
    const summary = summarise(input(answers, { activity: reflection, anonymous: false, now: BEFORE }));
    expect(summary.items[0]).toMatchObject({ answers: ['Vi leger mere ude'], tooFew: false });
    const data = summaryCardFor(odense, reflection, 'tema-1-1', summary, 'da');
    expect(data.beforeClose).toBe(false);
    expect(JSON.stringify(renderAdaptiveCard('summary', data, { locale: 'da' }))).toContain('Vi leger mere ude');
  });
});

it('renders in every locale with every state at once valid for Teams and Slack', () => {
  for (const locale of LOCALES) {
    for (const now of [BEFORE, AFTER]) {
      const data = card(summarise(input([reply(1, 'En'), ...[2, 3, 4, 5, 6].map((n) => reply(n))], { now, locale })), locale);
      expect(() => renderAdaptiveCard('summary', data, { locale })).not.toThrow();
      expect(() => renderSlackCard('summary', data, { locale })).not.toThrow();
    }
  }
});
