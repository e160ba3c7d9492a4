// Each country's public holidays per year, from date-holidays. Loading that package costs about a third of a
// second on a cold start (its rules for every country, moment-timezone, astronomy), more than planning a run,
// so the build records the years a run can fall in (scripts/build.js: holidays.json beside the compiled module)
// and a calendar reads those; any other year, a build for another version of date-holidays, or the TypeScript
// sources (tests, tsx), ask date-holidays itself. The record is only ever a copy of what date-holidays says.
// Loaded with require on first use, so a calendar stays synchronous: loading code and its data, no other I/O.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export type HolidayCountry = 'DK' | 'SE';

export interface HolidayYear {
  /** Days that close schools and workplaces, YYYY-MM-DD. */
  closed: string[];
  /** Easter Sunday, YYYY-MM-DD. */
  easter: string;
}

/** The years recorded: from well before any run to a generation ahead. */
export const RECORDED_YEARS = { from: 2000, to: 2060 } as const;
export const RECORDED_FILE = fileURLToPath(new URL('./holidays.json', import.meta.url));

export interface Recorded {
  version: string;
  years: Record<HolidayCountry, Record<string, HolidayYear>>;
}

/** date-holidays types that close schools and workplaces; "observance" days (Fastelavn, Mors dag) do not. */
const CLOSED_TYPES = new Set(['public', 'bank']);

const require = createRequire(import.meta.url);

interface Holidays {
  getHolidays(year: number): Array<{ date: string; type: string; rule: string }>;
}
type HolidaysClass = new (country: string) => Holidays;

let recorded: Recorded | null | undefined;
const computed = new Map<HolidayCountry, Holidays>();

/** A country's holidays in a year: as recorded by the build when it has the year, else from date-holidays. */
export function holidayYear(country: HolidayCountry, year: number): HolidayYear {
  recorded ??= readRecord();
  return recorded?.years[country][year] ?? computeYear(country, year);
}

/** What date-holidays says for the year, whatever is recorded. */
export function computeYear(country: HolidayCountry, year: number): HolidayYear {
  let holidays = computed.get(country);
  if (!holidays) {
    holidays = new (require('date-holidays') as HolidaysClass)(country);
    computed.set(country, holidays);
  }
  const all = holidays.getHolidays(year);
  const easter = all.find((h) => h.rule === 'easter');
  if (!easter) throw new RangeError(`date-holidays gives no Easter for ${country} ${year}`);
  return { closed: [...new Set(all.filter((h) => CLOSED_TYPES.has(h.type)).map((h) => h.date.slice(0, 10)))], easter: easter.date.slice(0, 10) };
}

/** The record the build writes: every recorded year of both countries, from date-holidays. */
export function recordHolidays(): string {
  const years = { DK: {}, SE: {} } as Recorded['years'];
  for (const country of ['DK', 'SE'] as const) {
    for (let year = RECORDED_YEARS.from; year <= RECORDED_YEARS.to; year++) years[country][year] = computeYear(country, year);
  }
  return JSON.stringify({ version: installedVersion(), years } satisfies Recorded);
}

/** The build's record, or null when there is none or it was made from another version of date-holidays. */
export function readRecord(file: string = RECORDED_FILE): Recorded | null {
  try {
    const record = require(file) as Recorded;
    return record.version === installedVersion() ? record : null;
  } catch {
    return null;
  }
}

function installedVersion(): string {
  return (require('date-holidays/package.json') as { version: string }).version;
}
