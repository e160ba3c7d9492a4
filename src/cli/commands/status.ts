import type { Messages } from '../../i18n/messages.ts';
import { UsageError, type CliIo } from '../io.ts';
import { parseOptions } from '../options.ts';
import type { StoreAccess } from './person-data.ts';

/** `sparring status [--team T]`: what is waiting to be sent, and every dead letter with its reason. */
export async function statusCommand(args: string[], io: CliIo, t: Messages, access: StoreAccess): Promise<number> {
  const { values, positionals } = parseOptions(args, { team: { type: 'string' }, locale: { type: 'string' } }, t);
  if (positionals.length > 0) throw new UsageError(t.cli.statusUsage);
  const outbox = await access.openOutbox();
  try {
    io.out.write(`${t.cli.statusPending(await outbox.pending())}\n`);
    const letters = (await outbox.deadLetters(1000)).filter((l) => values.team === undefined || l.team.team === values.team);
    if (letters.length === 0) {
      io.out.write(`${t.cli.statusNoDeadLetters}\n`);
      return 0;
    }
    io.out.write(`${t.cli.statusDeadLetters(letters.length)}\n`);
    for (const l of letters) io.out.write(`  ${l.at}  ${l.team.tenant}/${l.team.team}  ${l.occurrenceId} → ${l.recipient}  (${l.attempts}): ${l.reason}\n`);
    return 0;
  } finally {
    await outbox.close();
  }
}
