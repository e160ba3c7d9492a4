import { readFileSync } from 'node:fs';
import { isValidTimezone, DEFAULT_TIMEZONE } from '../../domain/calendar/calendar.ts';
import { LOCALES } from '../../domain/programme/locales.ts';
import { CardDataError, CHANNELS, renderCard } from '../../cards/render.ts';
import { recordedSample } from '../../cards/recorded-samples.ts';
import { CARD_NAMES, isCardName } from '../../cards/view-models.ts';
import type { Messages } from '../../i18n/messages.ts';
import { UsageError, type CliIo } from '../io.ts';
import { checkChoice, parseOptions } from '../options.ts';

/**
 * `sparring card --list` and `sparring card <name> [--locale] [--channel] [--data file.json]`:
 * the rendered card as JSON, from realistic sample data or from the caller's own data.
 */
export async function cardCommand(args: string[], io: CliIo, t: Messages): Promise<number> {
  const { values, positionals } = parseOptions(
    args,
    {
      list: { type: 'boolean' },
      locale: { type: 'string' },
      channel: { type: 'string' },
      tz: { type: 'string' },
      data: { type: 'string' },
    },
    t,
  );
  if (values.list) {
    if (positionals.length > 0) throw new UsageError(t.cli.cardUsage);
    io.out.write(`${CARD_NAMES.join('\n')}\n`);
    return 0;
  }
  const [name, ...rest] = positionals;
  if (!name || rest.length > 0) throw new UsageError(t.cli.cardUsage);
  if (!isCardName(name)) throw new UsageError(t.cli.unknownCard(name, CARD_NAMES));
  const locale = checkChoice('--locale', values.locale ?? 'da', LOCALES, t);
  const channel = checkChoice('--channel', values.channel ?? 'teams', CHANNELS, t);
  const timeZone = values.tz ?? DEFAULT_TIMEZONE;
  if (!isValidTimezone(timeZone)) throw new UsageError(t.cli.unknownZone(timeZone));

  let data: unknown;
  if (values.data === undefined) {
    // The build's record while it is current; else made here, which plans a programme (samples.ts loads the planner).
    data = recordedSample(name, locale) ?? (await import('../../cards/samples.ts')).sampleData(name, locale);
  } else {
    try {
      data = JSON.parse(readFileSync(values.data, 'utf8'));
    } catch (error) {
      io.err.write(`${t.cli.cardDataUnreadable(values.data, (error as Error).message)}\n`);
      return 1;
    }
  }
  try {
    io.out.write(`${JSON.stringify(renderCard(name, data, channel, { locale, timeZone }), null, 2)}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof CardDataError)) throw error;
    io.err.write(`${t.cli.cardDataInvalid(values.data ?? name, name, error.problems)}\n`);
    return 1;
  }
}
