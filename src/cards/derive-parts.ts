import type { CardName, ViewModel } from './view-models.ts';
import type { Format, Params } from './strings.ts';

// What every card's derived values are made with (derive.ts, derive-overviews.ts).

export type Extra = { data?: Record<string, unknown>; params?: Params };
export type Deriver<N extends CardName> = (vm: ViewModel<N>, format: Format) => Extra;

/** The view model's scalars as message parameters (`minutes_min`), ISO instants as dates. */
export function paramsOf(value: object, prefix = ''): Params {
  const params: Params = {};
  for (const [key, item] of Object.entries(value)) {
    const name = prefix + key;
    if (typeof item === 'string') params[name] = /^\d{4}-\d{2}-\d{2}(T.*)?$/.test(item) ? asDate(item) : item;
    else if (typeof item === 'number' || typeof item === 'boolean') params[name] = item;
    else if (Array.isArray(item)) params[`${name}_count`] = item.length;
    else if (item && typeof item === 'object') Object.assign(params, paramsOf(item, `${name}_`));
  }
  return params;
}

/** A calendar date is shown as that day wherever the team is: noon UTC is the same day in Europe. */
function asDate(iso: string): Date {
  return new Date(iso.length === 10 ? `${iso}T12:00:00Z` : iso);
}

/** Answers as a person reads them: dates in their language, a blank answer as a dash. */
export function shownAnswers(answers: Array<{ label: string; value: string; kind: 'text' | 'date' }>, format: Format) {
  return answers.map((a) => ({
    label: a.label,
    value: a.value === '' ? format('common.empty') : a.kind === 'date' ? format('common.each.date', { value: paramsOf({ v: a.value })['v'] }) : a.value,
  }));
}
