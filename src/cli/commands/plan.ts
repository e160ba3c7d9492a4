import { DateTime } from 'luxon';
import { COUNTRIES, createCalendar, DEFAULT_TIMEZONE, isValidTimezone } from '../../domain/calendar/calendar.ts';
import { LOCALES, type Locale, type Programme } from '../../domain/programme/schema.ts';
import { buildPlan } from '../../domain/timeline/plan.ts';
import type { Messages } from '../../i18n/messages.ts';
import { planToIcs } from '../../plan/ics.ts';
import { planToJson } from '../../plan/json.ts';
import { planToText } from '../../plan/text.ts';
import { loadProgrammeFile, loadProgrammes, ProgrammeFileError } from '../../programmes/load.ts';
import { UsageError, type CliIo } from '../io.ts';
import { checkChoice, parseOptions } from '../options.ts';

const FORMATS = ['text', 'json', 'ics'] as const;
const COUNTRY_LOCALE = { DK: 'da', SE: 'sv' } as const;

/** `sparring plan <id|file.yaml> --start YYYY-MM-DD [...]`: the dated timeline of one run. */
export function planCommand(args: string[], io: CliIo, t: Messages): number {
  const { values, positionals } = parseOptions(
    args,
    {
      start: { type: 'string' },
      tz: { type: 'string' },
      country: { type: 'string' },
      locale: { type: 'string' },
      breaks: { type: 'string' },
      set: { type: 'string', multiple: true },
      format: { type: 'string' },
    },
    t,
  );
  const [id, ...extra] = positionals;
  if (!id || extra.length > 0) throw new UsageError(t.cli.planUsage);
  const programme = findProgramme(id, io, t);
  if (!programme) return 1;

  if (values.start === undefined) throw new UsageError(t.cli.missingValue('--start'));
  const start = parseDate(values.start, t);
  const timezone = values.tz ?? DEFAULT_TIMEZONE;
  if (!isValidTimezone(timezone)) throw new UsageError(t.cli.unknownZone(timezone));
  const country = checkChoice('--country', values.country ?? programme.country, COUNTRIES, t);
  // Without --locale the plan speaks the team's country's language.
  const locale: Locale = values.locale ? checkChoice('--locale', values.locale, LOCALES, t) : COUNTRY_LOCALE[country];
  const format = checkChoice('--format', values.format ?? 'text', FORMATS, t);
  const breakWeeks = values.breaks === undefined ? undefined : parseBreaks(values.breaks, t);
  const settings = parseSettings(values.set ?? [], programme, t);

  const calendar = createCalendar({ country, timezone, breakWeeks });
  const plan = buildPlan(programme, { start, settings }, calendar);
  if (format === 'json') io.out.write(`${JSON.stringify(planToJson(plan, programme, locale), null, 2)}\n`);
  else if (format === 'ics') io.out.write(planToIcs(plan, programme, locale));
  else io.out.write(planToText(plan, programme, locale, calendar.breakWeeks));
  return 0;
}

/** A built-in id, or a path to a programme file so a user can plan an edited copy before installing it. */
function findProgramme(idOrFile: string, io: CliIo, t: Messages): Programme | undefined {
  if (/\.ya?ml$/.test(idOrFile)) {
    try {
      return loadProgrammeFile(idOrFile);
    } catch (error) {
      if (!(error instanceof ProgrammeFileError)) throw error;
      io.err.write(`${error.message}\n`);
      return undefined;
    }
  }
  const programmes = loadProgrammes();
  const found = programmes.get(idOrFile);
  if (!found) throw new UsageError(t.cli.unknownProgramme(idOrFile, [...programmes.keys()]));
  return found;
}

function parseDate(value: string, t: Messages): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || !DateTime.fromISO(value).isValid) throw new UsageError(t.cli.badDate(value));
  return value;
}

/** "44,51,52,53,1,9" → weeks; an empty value means no break weeks at all. */
function parseBreaks(value: string, t: Messages): number[] {
  if (value.trim() === '') return [];
  const weeks = value.split(',').map((w) => w.trim());
  if (!weeks.every((w) => /^\d{1,2}$/.test(w) && Number(w) >= 1 && Number(w) <= 53)) throw new UsageError(t.cli.badBreaks(value));
  return weeks.map(Number);
}

function parseSettings(pairs: string[], programme: Programme, t: Messages): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const pair of pairs) {
    const match = /^([^=]+)=(.*)$/.exec(pair);
    if (!match) throw new UsageError(t.cli.badSetFormat(pair));
    const [, key, value] = match as unknown as [string, string, string];
    const setting = programme.settings.find((s) => s.id === key);
    if (!setting)
      throw new UsageError(
        t.cli.unknownSetting(
          key,
          programme.settings.map((s) => s.id),
        ),
      );
    const choices = setting.choices.map((c) => c.value);
    if (!choices.includes(value)) throw new UsageError(t.cli.badSettingValue(key, value, choices));
    settings[key] = value;
  }
  return settings;
}
