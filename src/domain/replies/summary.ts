import type { Activity, Locale } from '../programme/schema.ts';
import type { Answers } from './reply.ts';

/**
 * From replies to what a summary card shows: participation, counts per scale value, the written
 * answers. Pure; `shuffle` is injected.
 *
 * Anonymous answers are shown only after the occurrence's close: before it a summary read after
 * each new answer would give that answer away by difference, so it holds participation only. After
 * the close the threshold counts per question: a question fewer than `threshold` people answered
 * shows none of its answers (an optional question one person answered would otherwise be theirs),
 * only that too few answered. Written answers come in shuffled order. Named answers are shown as
 * they come. The count of who answered never exceeds the number asked.
 */

export interface SummaryInput {
  activity: Activity;
  locale: Locale;
  /** How many were asked, and every reply's answers (named or anonymous alike). */
  invited: number;
  answers: Answers[];
  anonymous: boolean;
  threshold: number;
  /** When the occurrence closes for answers (its end), and the time the summary is read. */
  closesAt: string;
  now: Date;
  shuffle: <T>(items: T[]) => T[];
}

export interface SummaryItem {
  id: string;
  text: string;
  counts: Array<{ value: number; count: number }>;
  answers: string[];
  /** Anonymous, and fewer than the threshold answered this question: no counts and no answers. */
  tooFew: boolean;
}

export interface Summary {
  invited: number;
  /** Never more than `invited` (an erased person answering again, a member removed since). */
  answered: number;
  anonymous: boolean;
  threshold: number;
  closesAt: string;
  /** Whether the occurrence had closed when the summary was read. */
  closed: boolean;
  /** Empty for an anonymous occurrence before its close: only participation is shown then. */
  items: SummaryItem[];
}

const SCALE = [1, 2, 3, 4, 5];

export function summarise(input: SummaryInput): Summary {
  const { activity, locale, answers, anonymous, threshold } = input;
  const answered = Math.min(answers.length, Math.max(0, input.invited));
  const closed = input.now.getTime() >= Date.parse(input.closesAt);
  const items: SummaryItem[] =
    anonymous && !closed
      ? []
      : activity.questions.map((q) => {
          const given = answers.map((a) => a.values[q.id]).filter((v): v is string => v !== undefined && v.trim() !== '');
          const base = { id: q.id, text: q.text[locale] };
          // Capped like `answered`: answers beyond the number asked are not more people.
          if (anonymous && Math.min(given.length, input.invited) < threshold) return { ...base, counts: [], answers: [], tooFew: true };
          if (q.answer === 'scale') {
            const counts = SCALE.map((value) => ({ value, count: given.filter((v) => Number(v) === value).length }));
            return { ...base, counts, answers: [], tooFew: false };
          }
          return { ...base, counts: [], answers: anonymous ? input.shuffle(given) : given, tooFew: false };
        });
  return { invited: input.invited, answered, anonymous, threshold, closesAt: input.closesAt, closed, items };
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
