import type { Activity, Locale } from '../programme/schema.ts';
import type { Answers } from './reply.ts';

/**
 * From replies to what a summary card shows: participation, counts per scale value, the written
 * answers. Anonymous answers come in shuffled order and only from `threshold` respondents up,
 * so a small group's answers cannot be told apart by who is missing. Pure; `shuffle` is injected.
 */

export interface SummaryInput {
  activity: Activity;
  locale: Locale;
  /** How many were asked, and every reply's answers (named or anonymous alike). */
  invited: number;
  answers: Answers[];
  anonymous: boolean;
  threshold: number;
  shuffle: <T>(items: T[]) => T[];
}

export interface SummaryItem {
  id: string;
  text: string;
  counts: Array<{ value: number; count: number }>;
  answers: string[];
}

export interface Summary {
  invited: number;
  answered: number;
  anonymous: boolean;
  threshold: number;
  /** Empty when an anonymous occurrence has fewer than `threshold` replies: only the count is shown. */
  items: SummaryItem[];
}

export function summarise(input: SummaryInput): Summary {
  const { activity, locale, answers } = input;
  const answered = answers.length;
  const hidden = input.anonymous && answered < input.threshold;
  const items = hidden
    ? []
    : activity.questions.map((q) => {
        const given = answers.map((a) => a.values[q.id]).filter((v): v is string => v !== undefined);
        if (q.answer === 'scale') {
          const counts = [1, 2, 3, 4, 5].map((value) => ({ value, count: given.filter((v) => Number(v) === value).length }));
          return { id: q.id, text: q.text[locale], counts, answers: [] };
        }
        return { id: q.id, text: q.text[locale], counts: [], answers: input.anonymous ? input.shuffle(given) : given };
      });
  return { invited: input.invited, answered, anonymous: input.anonymous, threshold: input.threshold, items };
}

/** Fisher–Yates with an injected source of randomness in [0, 1). */
export function shuffleWith(random: () => number) {
  return <T>(items: T[]): T[] => {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  };
}
