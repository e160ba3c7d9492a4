/**
 * Realistic data for every card, taken from the built-in programmes and planned from a real
 * start date, with example replies from cards/samples.json. `sparring card` and the gallery
 * show these; the tests render them in every locale. Made by family in samples/.
 */
import type { Locale } from '../domain/programme/schema.ts';
import { ACTIVITY_CARD_SAMPLES } from './samples/activity-cards.ts';
import { ANSWER_SAMPLES } from './samples/answers.ts';
import { COMMAND_SAMPLES } from './samples/commands.ts';
import { OVERVIEW_SAMPLES } from './samples/overviews.ts';
import { type SampleOf, sources } from './samples/sources.ts';
import type { CardName, ViewModelInput } from './view-models.ts';

/** Every card's: a card without a sample does not compile. */
const SAMPLES: Record<CardName, SampleOf> = { ...ACTIVITY_CARD_SAMPLES, ...ANSWER_SAMPLES, ...COMMAND_SAMPLES, ...OVERVIEW_SAMPLES };

export function sampleData<N extends CardName>(name: N, locale: Locale): ViewModelInput<N> {
  const replies = sources().replies[locale];
  return SAMPLES[name](locale, replies) as ViewModelInput<N>;
}
