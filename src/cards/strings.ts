import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { IntlMessageFormat } from 'intl-messageformat';
import type { Locale } from '../domain/programme/schema.ts';

/**
 * The cards' user-facing strings live in cards/locales/<locale>.json as ICU messages
 * (plurals, dates in the team's time zone), one object per card plus `common`.
 */

export const LOCALES_DIR = fileURLToPath(new URL('../../cards/locales/', import.meta.url));

/** A card's messages; a nested object (`each`) holds messages formatted per list item. */
type Messages = { [key: string]: string | Messages };
type Catalogue = Record<string, Messages>;
const catalogues = new Map<Locale, Catalogue>();

export function catalogue(locale: Locale): Catalogue {
  let found = catalogues.get(locale);
  if (!found) {
    found = JSON.parse(readFileSync(`${LOCALES_DIR}${locale}.json`, 'utf8')) as Catalogue;
    catalogues.set(locale, found);
  }
  return found;
}

/** English cards are read in Denmark and Sweden: British English, 24-hour clock, day before month. */
const INTL_LOCALE: Record<Locale, string> = { da: 'da-DK', sv: 'sv-SE', en: 'en-GB' };

export type Params = Record<string, string | number | boolean | Date | undefined>;
export type Format = (key: string, params?: Params) => string;

/** Named date formats the messages use: `{at, date, day}`, `{at, time, hm}`, `{month, date, monthYear}` (the digest's "september 2026"). */
function formats(timeZone: string) {
  return {
    date: {
      day: { weekday: 'long', day: 'numeric', month: 'long', timeZone },
      dayYear: { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone },
      monthYear: { month: 'long', year: 'numeric', timeZone },
    },
    time: { hm: { hour: '2-digit', minute: '2-digit', timeZone } },
  } as const;
}

function lookup(messages: Messages | undefined, path: string): string | undefined {
  let node: string | Messages | undefined = messages;
  for (const part of path.split('.')) node = typeof node === 'object' ? node[part] : undefined;
  return typeof node === 'string' ? node : undefined;
}

/**
 * A compiled message, the names of the values it reads, the value its first placeholder reads (formatting
 * reads it before anything else that could fail) and, when it reads none, its text.
 */
interface Compiled {
  message: IntlMessageFormat;
  names: readonly string[];
  first: string | undefined;
  constant: string | undefined;
}

/**
 * Compiled messages for the process, by locale, time zone and card, then by key: compiling a message
 * (parsing it, and the Intl formatters it builds on first use) costs many times what formatting it does.
 * Time zones are the teams' few, but what comes from outside is bounded anyway: past MAX_COMPILED_CARDS
 * (locale, zone, card) entries the least recently used goes.
 */
const compiledCards = new Map<string, Map<string, Compiled>>();
const MAX_COMPILED_CARDS = 500;

function compiledFor(card: string, locale: Locale, timeZone: string): Map<string, Compiled> {
  const id = `${locale}\u0000${timeZone}\u0000${card}`;
  let found = compiledCards.get(id);
  if (found) {
    if (compiledCards.size > 1) {
      compiledCards.delete(id); // to the end: the least recently used goes first
      compiledCards.set(id, found);
    }
    return found;
  }
  found = new Map();
  if (compiledCards.size >= MAX_COMPILED_CARDS) compiledCards.delete(compiledCards.keys().next().value!);
  compiledCards.set(id, found);
  return found;
}

type Element = ReturnType<IntlMessageFormat['getAst']>[number];

/** Every value name a message's elements read, in any branch; `#` and plain text read none. */
function valueNames(elements: readonly Element[], names = new Set<string>()): Set<string> {
  for (const element of elements) {
    if ('options' in element) for (const option of Object.values(element.options) as Array<{ value: Element[] }>) valueNames(option.value, names);
    if ('children' in element) valueNames(element.children, names);
    // 0 is plain text, 7 a plural's `#`: every other element names the value it reads.
    if (element.type !== 0 && element.type !== 7) names.add(element.value);
  }
  return names;
}

function compile(card: string, locale: Locale, timeZone: string, key: string): Compiled {
  const strings = catalogue(locale);
  const text = key.startsWith('common.') ? lookup(strings['common'], key.slice('common.'.length)) : (lookup(strings[card], key) ?? lookup(strings['common'], key));
  if (text === undefined) throw new Error(`cards/locales/${locale}.json has no message ${card}.${key}`);
  // Tags are plain text here ("/sparring summary <aktivitet>"): cards are not HTML.
  const message = new IntlMessageFormat(text, INTL_LOCALE[locale], formats(timeZone), { ignoreTag: true });
  const ast = message.getAst();
  const names = [...valueNames(ast)];
  const first = ast.find((element) => element.type !== 0 && element.type !== 7);
  return { message, names, first: first && 'value' in first ? String(first.value) : undefined, constant: names.length === 0 ? String(message.format()) : undefined };
}

function compiled(messages: Map<string, Compiled>, card: string, locale: Locale, timeZone: string, key: string): Compiled {
  let found = messages.get(key);
  if (!found) {
    found = compile(card, locale, timeZone, key);
    messages.set(key, found);
  }
  return found;
}

/** A formatter for one card's messages (a dotted path such as `each.more`), falling back to `common`. */
export function formatterFor(card: string, locale: Locale, timeZone: string): Format {
  const messages = compiledFor(card, locale, timeZone);
  const format: Format = (key, params = {}) => {
    const found = compiled(messages, card, locale, timeZone, key);
    return found.constant ?? String(found.message.format(params));
  };
  // What messagesFor needs to skip a message whose values are missing without formatting it.
  formatterDetails.set(format, { card, locale, timeZone, messages });
  return format;
}

const formatterDetails = new WeakMap<Format, { card: string; locale: Locale; timeZone: string; messages: Map<string, Compiled> }>();

/** The keys of `common`'s and a card's top-level messages, by locale and card. */
const topLevelKeys = new Map<string, readonly string[]>();

function topLevelKeysOf(card: string, locale: Locale): readonly string[] {
  const id = `${locale}\u0000${card}`;
  let keys = topLevelKeys.get(id);
  if (!keys) {
    const strings = catalogue(locale);
    keys = [...new Set([strings['common'], strings[card]].flatMap((messages) => Object.entries(messages ?? {}).flatMap(([key, value]) => (typeof value === 'string' ? [key] : []))))];
    // Card names come from the code and the catalogue's files: as few as they are.
    topLevelKeys.set(id, keys);
  }
  return keys;
}

/** The card's and `common`'s top-level messages, formatted with the card's parameters. */
export function messagesFor(card: string, locale: Locale, format: Format, params: Params): Record<string, string> {
  const details = formatterDetails.get(format);
  const result: Record<string, string> = {};
  for (const key of topLevelKeysOf(card, locale)) {
    if (details) {
      const found = compiled(details.messages, details.card, details.locale, details.timeZone, key);
      // Every value it could read is there: formatting cannot miss one (the common case, and no throw).
      if (found.names.every((name) => name in params)) {
        result[key] = found.constant ?? String(found.message.format(params));
        continue;
      }
      // The first value it reads is missing: formatting would fail on it (MISSING_VALUE), so it is blank.
      if (found.first !== undefined && !(found.first in params)) {
        result[key] = '';
        continue;
      }
    }
    result[key] = formatIfPresent(format, key, params);
  }
  return result;
}

/** A message about optional data the card does not have (no group size, say) is blank; its template guards it with `$when`. */
function formatIfPresent(format: Format, key: string, params: Params): string {
  try {
    return format(key, params);
  } catch (error) {
    if ((error as { code?: unknown }).code === 'MISSING_VALUE') return '';
    throw error;
  }
}
