import type { Messages } from '../../i18n/messages.ts';
import { builtInProgrammes } from '../built-in-programmes.ts';
import { UsageError, type CliIo } from '../io.ts';
import { optionLocale } from '../options.ts';

/** `sparring programmes [--locale L]`: one line per programme with id, title and length. */
export async function programmesCommand(args: string[], io: CliIo, t: Messages): Promise<number> {
  const { locale, rest } = optionLocale(args, t);
  if (rest.length > 0) throw new UsageError(t.cli.usage);
  const rows = [...(await builtInProgrammes()).values()].map((p) => [p.id, p.title[locale], t.cli.months(p.lengthMonths)] as const);
  const header = t.cli.programmesHeader;
  const width = (i: 0 | 1) => Math.max(header[i].length, ...rows.map((r) => r[i].length));
  for (const row of [header, ...rows]) io.out.write(`${row[0].padEnd(width(0))}  ${row[1].padEnd(width(1))}  ${row[2]}\n`);
  return 0;
}
