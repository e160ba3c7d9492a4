import type { Outbox, Store, TeamRef } from '../../app/ports.ts';
import type { Messages } from '../../i18n/messages.ts';
import { UsageError, type CliIo } from '../io.ts';
import { parseOptions } from '../options.ts';

/**
 * `sparring export` and `sparring erase`: a person's data rights. Both find the team by its id
 * (and the tenant when a team id is used in more than one), then act on that team's data only.
 */

export interface StoreAccess {
  openStore(): Store;
  /** The delivery outbox the bot's replicas share (Redis); empty on a machine with the embedded store. */
  openOutbox(): Outbox & { close(): Promise<void> };
}

async function withPerson(args: string[], t: Messages, usage: string, access: StoreAccess, act: (store: Store, team: TeamRef, user: string) => Promise<void>) {
  const { values, positionals } = parseOptions(args, { team: { type: 'string' }, tenant: { type: 'string' }, user: { type: 'string' }, locale: { type: 'string' } }, t);
  if (!values.team || !values.user || positionals.length > 0) throw new UsageError(usage);
  const store = access.openStore();
  try {
    const teams = (await store.listTeams()).filter((ref) => ref.team === values.team && (values.tenant === undefined || ref.tenant === values.tenant));
    if (teams.length === 0) throw new UsageError(t.cli.unknownTeam(values.team, [...new Set((await store.listTeams()).map((ref) => ref.team))]));
    if (teams.length > 1) throw new UsageError(t.cli.ambiguousTeam(values.team, teams.map((ref) => ref.tenant)));
    await act(store, teams[0]!, values.user);
  } finally {
    await store.close();
  }
}

export async function exportCommand(args: string[], io: CliIo, t: Messages, access: StoreAccess): Promise<number> {
  await withPerson(args, t, t.cli.exportUsage, access, async (store, team, user) => {
    io.out.write(`${JSON.stringify(await store.exportPerson(team, user), null, 2)}\n`);
  });
  return 0;
}

export async function eraseCommand(args: string[], io: CliIo, t: Messages, access: StoreAccess): Promise<number> {
  await withPerson(args, t, t.cli.eraseUsage, access, async (store, team, user) => {
    const report = await store.erasePerson(team, user);
    io.out.write(`${t.cli.erased(user, `${team.tenant}/${team.team}`, report)}\n`);
  });
  return 0;
}
