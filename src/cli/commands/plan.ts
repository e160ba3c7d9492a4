import { DateTime } from 'luxon';
import { CALENDAR_KINDS, COUNTRIES, defaultTimezone, isValidTimezone, SPORTLOV_WEEKS } from '../../domain/calendar/calendar.ts';
import { LOCALES, type Locale } from '../../domain/programme/locales.ts';
import type { Programme } from '../../domain/programme/schema.ts';
import { buildPlan } from '../../domain/timeline/plan.ts';
import { calendarFor, isLocalDate, parseFixedDate } from '../../domain/timeline/run-calendar.ts';
import type { Plan, RunCalendar } from '../../domain/timeline/types.ts';
import { messagesFor, type Messages } from '../../i18n/messages.ts';
import { digestSends } from '../../domain/timeline/digests.ts';
import { sendsOf } from '../../domain/timeline/sends.ts';
import { planToJson } from '../../plan/json.ts';
import { planToText } from '../../plan/text.ts';
import { builtInProgrammes } from '../built-in-programmes.ts';
import { UsageError, type CliIo } from '../io.ts';
import { checkChoice, parseOptions } from '../options.ts';

const FORMATS = ['text', 'json', 'ics'] as const;
const COUNTRY_LOCALE = { DK: 'da', SE: 'sv' } as const;

/** `sparring plan <id|file.yaml> --start YYYY-MM-DD [...]`: the dated timeline of one run. */
export async function planCommand(args: string[], io: CliIo, cliMessages: Messages): Promise<number> {
  // Read once for both uses below.
  let builtIns: Promise<Map<string, Programme>> | undefined;
  const programmes = () => (builtIns ??= builtInProgrammes());
  const t = await programmeLanguage(args, cliMessages, programmes);
  const { values, positionals } = parseOptions(
    args,
    {
      start: { type: 'string' },
      tz: { type: 'string' },
      country: { type: 'string' },
      locale: { type: 'string' },
      breaks: { type: 'string' },
      calendar: { type: 'string' },
      sportlov: { type: 'string' },
      closed: { type: 'string', multiple: true },
      fix: { type: 'string', multiple: true },
      set: { type: 'string', multiple: true },
      format: { type: 'string' },
    },
    t,
  );
  const [id, ...extra] = positionals;
  if (!id || extra.length > 0) throw new UsageError(t.cli.planUsage);
  const programme = await findProgramme(id, io, t, programmes);
  if (!programme) return 1;

  if (values.start === undefined) throw new UsageError(t.cli.missingValue('--start'));
  const start = parseDate(values.start, t);
  const country = checkChoice('--country', values.country ?? programme.country, COUNTRIES, t);
  const timezone = values.tz ?? defaultTimezone(country);
  if (!isValidTimezone(timezone)) throw new UsageError(t.cli.unknownZone(timezone));
  // Without --locale the plan speaks the team's country's language.
  const locale: Locale = values.locale ? checkChoice('--locale', values.locale, LOCALES, t) : COUNTRY_LOCALE[country];
  const format = checkChoice('--format', values.format ?? 'text', FORMATS, t);
  const breakWeeks = values.breaks === undefined ? undefined : parseBreaks(values.breaks, t);
  const settings = parseSettings(values.set ?? [], programme, t);
  const own: RunCalendar = {
    ...(values.calendar !== undefined && { kind: checkChoice('--calendar', values.calendar, CALENDAR_KINDS, t) }),
    ...(values.sportlov !== undefined && { sportlovWeek: Number(checkChoice('--sportlov', values.sportlov, SPORTLOV_WEEKS.map(String), t)) }),
    ...(values.closed && { closed: parseClosed(values.closed, t) }),
  };
  const fixed = parseFixed(values.fix ?? [], t);

  const calendar = calendarFor(programme, { country, timezone, calendar: own, breakWeeks });
  const run = { start, settings, calendar: own };
  // Fixed dates are checked against the ids of the plan without them, so a typo is an error, not a warning.
  if (Object.keys(fixed).length > 0) checkOccurrenceIds(Object.keys(fixed), buildPlan(programme, run, calendar), t);
  const plan = buildPlan(programme, { ...run, calendar: { ...own, fixed } }, calendar);
  const sends = sendsOf(programme, plan, calendar);
  if (format === 'json') io.out.write(`${JSON.stringify(planToJson(plan, programme, locale, sends, digestSends(plan, calendar)), null, 2)}\n`);
  // The calendar file's library is loaded only for the format that needs it.
  else if (format === 'ics') io.out.write((await import('../../plan/ics.ts')).planToIcs(plan, programme, locale));
  else io.out.write(planToText(plan, programme, locale, calendar, sends));
  return 0;
}

/**
 * Without --locale, the plan's errors speak the language of the programme asked for (`plan skolverket-… --start
 * 2026-13-01` answers in Swedish); a programme not found, or a file, keeps the CLI's default.
 */
async function programmeLanguage(args: string[], t: Messages, builtIns: () => Promise<Map<string, Programme>>): Promise<Messages> {
  const [id] = args;
  if (!id || id.startsWith('-') || /\.ya?ml$/.test(id) || args.some((a) => a === '--locale' || a.startsWith('--locale='))) return t;
  const programme = (await builtIns()).get(id);
  return programme ? messagesFor(programme.language) : t;
}

/** A built-in id, or a path to a programme file so a user can plan an edited copy before installing it. */
async function findProgramme(idOrFile: string, io: CliIo, t: Messages, builtIns: () => Promise<Map<string, Programme>>): Promise<Programme | undefined> {
  if (/\.ya?ml$/.test(idOrFile)) {
    const { loadProgrammeFileLoadingChecks, ProgrammeFileError } = await import('../../programmes/read.ts');
    try {
      return await loadProgrammeFileLoadingChecks(idOrFile);
    } catch (error) {
      if (!(error instanceof ProgrammeFileError)) throw error;
      io.err.write(`${error.message}\n`);
      return undefined;
    }
  }
  const programmes = await builtIns();
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

/** `--closed 2026-11-02,2026-11-03` (the option may be repeated). */
function parseClosed(values: string[], t: Messages): string[] {
  const days = values.flatMap((v) => v.split(',')).map((d) => d.trim());
  for (const day of days) if (!isLocalDate(day)) throw new UsageError(t.cli.badClosed(day));
  return days;
}

/** `--fix workshop-2=2026-11-24T17:00,del:1ab=2026-09-15` (the option may be repeated). */
function parseFixed(values: string[], t: Messages): Record<string, string> {
  const fixed: Record<string, string> = {};
  for (const pair of values.flatMap((v) => v.split(',')).map((p) => p.trim())) {
    const match = /^([^=]+)=(.+)$/.exec(pair);
    if (!match || !parseFixedDate(match[2]!)) throw new UsageError(t.cli.badFix(pair));
    fixed[match[1]!] = match[2]!;
  }
  return fixed;
}

/** Unknown occurrence ids are refused, naming the valid ones by pattern: `activity`, or `activity:1…N`. */
function checkOccurrenceIds(ids: string[], plan: Plan, t: Messages) {
  const known = new Set(plan.occurrences.map((o) => o.id));
  const unknown = ids.find((id) => !known.has(id));
  if (unknown === undefined) return;
  const byActivity = new Map<string, string[]>();
  for (const o of plan.occurrences) byActivity.set(o.activityId, [...(byActivity.get(o.activityId) ?? []), o.id]);
  const patterns = [...byActivity.values()].map((list) => (list.length === 1 ? list[0]! : `${list[0]}…${list.at(-1)}`));
  throw new UsageError(t.cli.unknownOccurrence(unknown, patterns));
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
    const chosen = setting.choices.find((c) => namesOf(c).includes(folded(value)));
    if (!chosen) throw new UsageError(t.cli.badSettingValue(key, value, choices));
    settings[key] = chosen.value;
  }
  return settings;
}

/** Case and accents aside: `Intensivläsa`, `intensivläsa` and `intensivlasa` are one word. */
function folded(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').trim().toLocaleLowerCase('sv');
}

/**
 * The words a choice answers to: its id and, in each language, its label and the label's name before a
 * parenthesis or comma (the seed's own word: "Intensivläsa (en träff à 90 minuter …)" → "intensivläsa").
 */
function namesOf(choice: Programme['settings'][number]['choices'][number]): string[] {
  const labels = Object.values(choice.label as Record<string, string>);
  return [choice.value, ...labels, ...labels.map((label) => label.split(/[(,]/)[0]!)].map(folded);
}
