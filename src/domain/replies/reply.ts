import { z } from 'zod';
import type { Activity } from '../programme/schema.ts';

/**
 * A reply as it arrives from a card, checked against the activity's own questions. Pure: the
 * caller decides what to do with a refusal (answer the person, log it, store nothing).
 */

export const PLATFORMS = ['teams', 'slack', 'local'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** Who answered: our user id and the platform's, kept only with named (not anonymous) replies. */
export interface Respondent {
  userId: string;
  platform: Platform;
  platformUserId: string;
}

export const OUTCOMES = ['done', 'skipped', 'answered'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface Answers {
  outcome: Outcome;
  /** By question id ("note" for a practice prompt's note); every value as the card sent it, a string. */
  values: Record<string, string>;
}

/** The most a person can write in one answer; the cards' inputs stop there too. */
export const MAX_ANSWER_LENGTH = 2000;

const answerText = z.string().max(MAX_ANSWER_LENGTH, `at most ${MAX_ANSWER_LENGTH} characters`);

/** The schema of one activity's answers: its question ids and nothing else, each checked by its kind. */
export function answersSchema(activity: Activity) {
  const shape: Record<string, z.ZodType<string | undefined>> = {};
  for (const q of activity.questions) {
    const base =
      q.answer === 'scale'
        ? z.string().regex(/^[1-5]$/, 'a whole number from 1 to 5')
        : q.answer === 'date'
          ? z.iso.date('a date written YYYY-MM-DD')
          : q.answer === 'number'
            ? z.string().regex(/^\d{1,4}(\.\d{1,2})?$/, 'a number')
            : answerText;
    shape[q.id] = base.optional();
  }
  if (activity.kind === 'practicePrompt') shape['note'] = answerText.optional();
  return z.strictObject(shape);
}

export type AnswersCheck = { ok: true; answers: Answers } | { ok: false; problems: string[] };

/** Checks a card's submitted values; blank answers are dropped, an unknown field or a bad value refuses the whole reply. */
export function checkAnswers(activity: Activity, outcome: unknown, values: unknown): AnswersCheck {
  const parsedOutcome = z.enum(OUTCOMES).safeParse(outcome);
  const raw = z.record(z.string(), z.string()).safeParse(values ?? {});
  if (!parsedOutcome.success || !raw.success) {
    return { ok: false, problems: [...(parsedOutcome.success ? [] : ['outcome: done, skipped or answered']), ...(raw.success ? [] : ['answers: text values by question id'])] };
  }
  const filled = Object.fromEntries(
    Object.entries(raw.data)
      .map(([k, v]) => [k, v.trim()])
      .filter(([, v]) => v !== ''),
  );
  const parsed = answersSchema(activity).safeParse(filled);
  if (!parsed.success) return { ok: false, problems: parsed.error.issues.map((i) => `${i.path.join('.') || 'answers'}: ${i.message}`) };
  return { ok: true, answers: { outcome: parsedOutcome.data, values: parsed.data as Record<string, string> } };
}
