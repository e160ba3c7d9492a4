import { parseArgs, type ParseArgsConfig } from 'node:util';
import { LOCALES, type Locale } from '../domain/programme/locales.ts';
import type { Messages } from '../i18n/messages.ts';
import { UsageError } from './io.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

/** node's own parser, with its errors turned into one localized line. */
export function parseOptions<O extends Options>(args: string[], options: O, t: Messages) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    const code = (error as { code?: string }).code;
    const option = /'(-[^' ]+)/.exec((error as Error).message)?.[1] ?? '';
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') throw new UsageError(t.cli.missingValue(option));
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION')
      throw new UsageError(
        t.cli.unknownOption(
          option,
          Object.keys(options).map((o) => `--${o}`),
        ),
      );
    throw error;
  }
}

export function checkChoice<T extends string>(option: string, value: string, choices: readonly T[], t: Messages): T {
  if (!(choices as readonly string[]).includes(value)) throw new UsageError(t.cli.badChoice(option, value, [...choices]));
  return value as T;
}

/** Splits `--locale` off the arguments of a command that takes nothing else. */
export function optionLocale(args: string[], t: Messages): { locale: Locale; rest: string[] } {
  const { values, positionals } = parseOptions(args, { locale: { type: 'string' } }, t);
  return { locale: checkChoice('--locale', values.locale ?? 'da', LOCALES, t), rest: positionals };
}
