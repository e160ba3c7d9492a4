import { type DeadLetter, FORGOTTEN_RECIPIENT, type TeamRef } from '../../app/ports.ts';
import type { Messages } from '../../i18n/messages.ts';
import { UsageError, type CliIo } from '../io.ts';
import { parseOptions } from '../options.ts';
import { findTeam, type OutboxAccess, type PersonDataStore, type StoreAccess } from './person-data.ts';

/**
 * `sparring status [--team T]`: what is waiting to be sent, and each dead letter with its reason (every team's,
 * or the one team's); `sparring resend --team T [--occurrence O]`: the team's dead items back in the queue.
 * An unknown team is a failed check (exit 1), with the teams the store knows.
 */

/** Who a dead letter was for, as the operator needs to tell: a person (by the user id the CLI names people by), the team channel, a mail address. */
function recipientKind(recipient: string, t: Messages): string {
  if (recipient === FORGOTTEN_RECIPIENT) return t.cli.recipientNotKept;
  if (recipient.startsWith('channel:')) return t.cli.recipientChannel;
  if (recipient.startsWith('mail:')) return t.cli.recipientMail(recipient.slice('mail:'.length));
  return t.cli.recipientPerson(recipient);
}

async function withTeams<T>(
  access: StoreAccess,
  t: Messages,
  io: CliIo,
  team: string | undefined,
  tenant: string | undefined,
  act: (outbox: OutboxAccess, teams: TeamRef[]) => Promise<T>,
): Promise<T | 1> {
  const store: PersonDataStore = await access.openStore();
  let outbox: OutboxAccess | undefined;
  try {
    let teams: TeamRef[];
    if (team === undefined) teams = await store.listTeams();
    else {
      const found = await findTeam(store, t, team, tenant);
      if ('error' in found) {
        io.err.write(`${found.error}\n`);
        return 1;
      }
      teams = [found];
    }
    outbox = await access.openOutbox();
    return await act(outbox, teams);
  } finally {
    await outbox?.close();
    await store.close();
  }
}

export async function statusCommand(args: string[], io: CliIo, t: Messages, access: StoreAccess): Promise<number> {
  const { values, positionals } = parseOptions(args, { team: { type: 'string' }, tenant: { type: 'string' }, locale: { type: 'string' } }, t);
  if (positionals.length > 0) throw new UsageError(t.cli.statusUsage);
  return withTeams(access, t, io, values.team, values.tenant, async (outbox, teams) => {
    io.out.write(`${t.cli.statusPending(await outbox.pending())}\n`);
    const letters: DeadLetter[] = [];
    for (const team of teams) letters.push(...(await outbox.deadLetters(team, 1000)));
    if (letters.length === 0) {
      io.out.write(`${t.cli.statusNoDeadLetters}\n`);
      return 0;
    }
    io.out.write(`${t.cli.statusDeadLetters(letters.length)}\n`);
    for (const l of letters) io.out.write(`  ${l.at}  ${l.team.tenant}/${l.team.team}  ${l.occurrenceId} → ${recipientKind(l.recipient, t)}  (${l.attempts}): ${l.reason}\n`);
    return 0;
  });
}

export async function resendCommand(args: string[], io: CliIo, t: Messages, access: StoreAccess): Promise<number> {
  const { values, positionals } = parseOptions(args, { team: { type: 'string' }, tenant: { type: 'string' }, occurrence: { type: 'string' }, locale: { type: 'string' } }, t);
  if (!values.team || positionals.length > 0) throw new UsageError(t.cli.resendUsage);
  return withTeams(access, t, io, values.team, values.tenant, async (outbox, [team]) => {
    const resent = await outbox.resend(team!, Date.now(), values.occurrence);
    io.out.write(`${t.cli.resent(resent)}\n`);
    return 0;
  });
}
