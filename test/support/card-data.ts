// Extreme data for every card, made from its realistic sample: long Nordic texts, empty lists, 50 of everything.
import { sampleData } from '../../src/cards/samples.ts';
import type { CardName } from '../../src/cards/view-models.ts';
import type { Locale } from '../../src/domain/programme/schema.ts';

/** Fields that are identifiers, instants or choices from a fixed list, and keep their sample value. */
const KEEP = new Set([
  'ref',
  'id',
  'kind',
  'code',
  'card',
  'verb',
  'role',
  'outcome',
  'status',
  'letter',
  'commands',
  'choices',
  'date',
  'min',
  'max',
  'value',
  'country',
  'locale',
  'team',
  'channelId',
  'installedBy',
  'roles',
  'listAs',
  'calendarUrl',
]);
const ISO = /^\d{4}-\d{2}-\d{2}/;

export const NORDIC = 'Æble på øen, blåbær i åen; ärlig möte på ön. ';
export const longText = (length: number) => NORDIC.repeat(Math.ceil(length / NORDIC.length)).slice(0, length);

function transform(value: unknown, key: string, mode: 'huge' | 'empty', textLength: number): unknown {
  if (KEEP.has(key)) return value;
  if (typeof value === 'string') return ISO.test(value) || mode === 'empty' ? value : longText(textLength);
  if (Array.isArray(value)) {
    if (mode === 'empty') return [];
    const first = value[0];
    if (first === undefined) return value;
    return Array.from({ length: 50 }, (_, i) => {
      const item = transform(first, key, mode, textLength);
      return item && typeof item === 'object' && 'id' in item ? { ...item, id: `${String((item as { id: unknown }).id)}-${i}` } : item;
    });
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, transform(v, k, mode, textLength)]));
  }
  return value;
}

/** `huge`: every text `textLength` characters of æ, ø, å, ä, ö and every list 50 long; `empty`: every list empty. */
export function extremeData(name: CardName, locale: Locale, mode: 'huge' | 'empty', textLength = 5000): unknown {
  return transform(sampleData(name, locale), '', mode, textLength);
}
