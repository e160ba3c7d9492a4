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

/** Named date formats the messages use: `{at, date, day}`, `{at, time, hm}`. */
function formats(timeZone: string) {
  return {
    date: {
      day: { weekday: 'long', day: 'numeric', month: 'long', timeZone },
      dayYear: { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone },
    },
    time: { hm: { hour: '2-digit', minute: '2-digit', timeZone } },
  } as const;
}

function lookup(messages: Messages | undefined, path: string): string | undefined {
  let node: string | Messages | undefined = messages;
  for (const part of path.split('.')) node = typeof node === 'object' ? node[part] : undefined;
  return typeof node === 'string' ? node : undefined;
}

/** A formatter for one card's messages (a dotted path such as `each.more`), falling back to `common`. */
export function formatterFor(card: string, locale: Locale, timeZone: string): Format {
  const strings = catalogue(locale);
  const cache = new Map<string, IntlMessageFormat>();
  return (key, params = {}) => {
    let compiled = cache.get(key);
    if (!compiled) {
      const message = key.startsWith('common.') ? lookup(strings['common'], key.slice('common.'.length)) : (lookup(strings[card], key) ?? lookup(strings['common'], key));
      if (message === undefined) throw new Error(`cards/locales/${locale}.json has no message ${card}.${key}`);
      // Tags are plain text here ("/sparring summary <aktivitet>"): cards are not HTML.
      compiled = new IntlMessageFormat(message, INTL_LOCALE[locale], formats(timeZone), { ignoreTag: true });
      cache.set(key, compiled);
    }
    return String(compiled.format(params));
  };
}

/** The card's and `common`'s top-level messages, formatted with the card's parameters. */
export function messagesFor(card: string, locale: Locale, format: Format, params: Params): Record<string, string> {
  const strings = catalogue(locale);
  const keys = new Set([strings['common'], strings[card]].flatMap((messages) => Object.entries(messages ?? {}).flatMap(([key, value]) => (typeof value === 'string' ? [key] : []))));
  return Object.fromEntries([...keys].map((key) => [key, formatIfPresent(format, key, params)]));
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
