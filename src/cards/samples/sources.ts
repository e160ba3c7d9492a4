// Where every card's sample comes from: the built-in programmes, planned from each one's sample run, and the
// example replies in cards/samples.json; loaded once, on the first sample asked for.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createCalendar, DEFAULT_TIMEZONE } from '../../domain/calendar/calendar.ts';
import type { Locale, Programme } from '../../domain/programme/schema.ts';
import { buildPlan } from '../../domain/timeline/plan.ts';
import type { Occurrence } from '../../domain/timeline/types.ts';
import { activitiesById } from '../../domain/programme/activities.ts';
import { checkedProgrammes } from '../../programmes/built-in.ts';
import { BUILT_IN_DIR, loadProgrammes } from '../../programmes/read.ts';
import { cardFor } from '../from-activity.ts';
import { catalogue } from '../strings.ts';

const SAMPLES_FILE = fileURLToPath(new URL('../../../cards/samples.json', import.meta.url));

export interface Replies {
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
export function sources() {
  cache ??= {
    // As the build checked them, else read without the card checker: the samples use no programme's own template,
    // and `sparring card` then starts without loading the checker and adaptivecards.
    programmes: checkedProgrammes() ?? loadProgrammes([BUILT_IN_DIR], () => []),
    replies: JSON.parse(readFileSync(SAMPLES_FILE, 'utf8')) as Record<Locale, Replies>,
  };
  return cache;
}

/** The programmes' sample runs: Odense and Kolding from August 2026, Skolverket from week 38. */
export const RUNS: Record<string, { start: string; country: 'DK' | 'SE' }> = {
  'odense-science-boernehoejde': { start: '2026-08-10', country: 'DK' },
  'kolding-laeringssamtale': { start: '2026-08-10', country: 'DK' },
  'skolverket-kollegialt-larande': { start: '2026-09-14', country: 'SE' },
  'sevu-kollegial-sparring': { start: '2026-09-07', country: 'DK' },
  'stuk-vejledningsforloeb': { start: '2026-09-07', country: 'DK' },
};

export function occurrenceOf(programmeId: string, activityId: string, locale: Locale) {
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

export function fromProgramme(programmeId: string, activityId: string, locale: Locale, target?: string) {
  const ctx = occurrenceOf(programmeId, activityId, locale);
  const card = cardFor({
    ...ctx,
    guideName: sources().replies[locale].guideName,
    ...(target ? { targetStart: ctx.find(target).start } : {}),
  });
  if (!card) throw new Error(`${activityId} has no card`);
  return card.data as Record<string, unknown>;
}

export const ODENSE = 'odense-science-boernehoejde';
export const SEVU = 'sevu-kollegial-sparring';
export const KOLDING = 'kolding-laeringssamtale';

/** The answered card shows the note under the label the prompt asked with. */
export const noteLabel = (locale: Locale) => String(catalogue(locale)['practice-prompt']?.['noteLabel']);

/** One card's sample in one language, given that language's example replies. */
export type SampleOf = (locale: Locale, replies: Replies) => unknown;
