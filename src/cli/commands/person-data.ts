import type { Closable, ErasureReport, MemberStore, Outbox, OutboxRecords, PersonalDataPart, PersonalDataRegistry, RunStore, TeamRef } from '../../app/ports.ts';
import type { Messages } from '../../i18n/messages.ts';
import { addressOf } from '../../store/person-exports.ts';
import { UsageError, type CliIo } from '../io.ts';
import { parseOptions } from '../options.ts';

/**
 * `sparring export` and `sparring erase`: a person's data rights. Both find the team by its id
 * (and the tenant when a team id is used in more than one), then act on that team's data only,
 * through the store's registry of personal data and the outbox's parts, and nothing else: whatever a
 * port lists there is exported and erased, and a port cannot be forgotten here.
 */

/** What export and erase need of a store: the teams it knows, the members (for a person's address), and its parts of personal data. */
export type PersonDataStore = Pick<RunStore, 'listTeams'> & MemberStore & PersonalDataRegistry & Closable;

/** What the commands that read or change stored data open (the store's code is loaded only when one of them runs). */
export interface StoreAccess {
  openStore(): PersonDataStore | Promise<PersonDataStore>;
  /** The delivery outbox the bot's replicas share (Redis); empty on a machine with the embedded store. */
  openOutbox(): OutboxAccess | Promise<OutboxAccess>;
}

export type OutboxAccess = Outbox & OutboxRecords & { close(): Promise<void> };

/** Who a person is to the outbox: their own conversation (keyed by user id) and `mail:<their address>`. */
export async function recipientsOf(members: MemberStore, team: TeamRef, userId: string): Promise<string[]> {
  const address = await addressOf(members, team, userId);
  return address === undefined ? [userId] : [userId, `mail:${address}`];
}

/**
 * The outbox's parts of a person's data: the items addressed to them (any state, with their cards or
 * mails) and their dead letters. `recipients` gives who the person is to the outbox; read it before the
 * member entry (which holds the address) is erased.
 */
export function outboxParts(outbox: OutboxRecords, recipients: (team: TeamRef, userId: string) => Promise<string[]>): PersonalDataPart[] {
  return [
    {
      name: 'outbox',
      export: async (team, userId) => outbox.itemsFor(team, await recipients(team, userId)),
      erase: async (team, userId) => outbox.eraseItemsFor(team, await recipients(team, userId)),
    },
    {
      name: 'deadLetters',
      export: async (team, userId) => outbox.deadLettersFor(team, await recipients(team, userId)),
      erase: async (team, userId) => outbox.eraseDeadLettersFor(team, await recipients(team, userId)),
    },
  ];
}

/**
 * Everything about the person in the store and in the outbox: the store's parts (the member entry last),
 * then the outbox's, after them so an item queued for the person meanwhile is caught too. Who the person
 * is to the outbox is read first, while the member entry still has their address.
 */
async function personRegistry(store: PersonDataStore, outbox: OutboxRecords, team: TeamRef, userId: string): Promise<PersonalDataRegistry> {
  const recipients = await recipientsOf(store, team, userId);
  const parts = [...store.personalDataParts(), ...outboxParts(outbox, async () => recipients)];
  return { personalDataParts: () => parts };
}

/** The lines of the localized report, each filled by the part of that name; every other part gets a line by its name. */
const REPORTED: Record<keyof ErasureReport, string> = {
  replies: 'replies',
  anonymousMarkers: 'answeredAnonymously',
  conversations: 'conversations',
  documentsUnlinked: 'documents',
  hoursEntries: 'hours',
};

/** Everything about the person, one field per part (named as the part), after the team and the user id. */
export async function exportPerson(registry: PersonalDataRegistry, team: TeamRef, userId: string): Promise<Record<string, unknown>> {
  const data: Record<string, unknown> = { team, userId };
  for (const part of registry.personalDataParts()) {
    // Two parts of one name would hide one of them in the output.
    if (part.name in data) throw new Error(`two parts of personal data are named ${part.name}`);
    data[part.name] = await part.export(team, userId);
  }
  return data;
}

/** Erases every part in the registry's order (which puts what others look the person up by last); returns the count per part. */
export async function erasePerson(registry: PersonalDataRegistry, team: TeamRef, userId: string): Promise<Map<string, number>> {
  const erased = new Map<string, number>();
  for (const part of registry.personalDataParts()) erased.set(part.name, (erased.get(part.name) ?? 0) + (await part.erase(team, userId)));
  return erased;
}

/** The team named by `--team` (and `--tenant`), or the localized reason none is (unknown, or in several tenants). */
export async function findTeam(store: Pick<RunStore, 'listTeams'>, t: Messages, team: string, tenant?: string): Promise<TeamRef | { error: string }> {
  const all = await store.listTeams();
  const teams = all.filter((ref) => ref.team === team && (tenant === undefined || ref.tenant === tenant));
  if (teams.length === 0) return { error: t.cli.unknownTeam(team, [...new Set(all.map((ref) => ref.team))]) };
  if (teams.length > 1)
    return {
      error: t.cli.ambiguousTeam(
        team,
        teams.map((ref) => ref.tenant),
      ),
    };
  return teams[0]!;
}

async function withPerson(args: string[], t: Messages, usage: string, access: StoreAccess, act: (registry: PersonalDataRegistry, team: TeamRef, user: string) => Promise<void>) {
  const { values, positionals } = parseOptions(args, { team: { type: 'string' }, tenant: { type: 'string' }, user: { type: 'string' }, locale: { type: 'string' } }, t);
  if (!values.team || !values.user || positionals.length > 0) throw new UsageError(usage);
  // The store first: on the embedded store it refuses (one line, nothing changed) while the server has the file.
  const store = await access.openStore();
  let outbox: OutboxAccess | undefined;
  try {
    const team = await findTeam(store, t, values.team, values.tenant);
    if ('error' in team) throw new UsageError(team.error);
    outbox = await access.openOutbox();
    await act(await personRegistry(store, outbox, team, values.user), team, values.user);
  } finally {
    await outbox?.close();
    await store.close();
  }
}

export async function exportCommand(args: string[], io: CliIo, t: Messages, access: StoreAccess): Promise<number> {
  await withPerson(args, t, t.cli.exportUsage, access, async (registry, team, user) => {
    io.out.write(`${JSON.stringify(await exportPerson(registry, team, user), null, 2)}\n`);
  });
  return 0;
}

export async function eraseCommand(args: string[], io: CliIo, t: Messages, access: StoreAccess): Promise<number> {
  await withPerson(args, t, t.cli.eraseUsage, access, async (registry, team, user) => {
    const erased = await erasePerson(registry, team, user);
    const reported = new Set(Object.values(REPORTED));
    const count = (field: keyof ErasureReport) => erased.get(REPORTED[field]) ?? 0;
    const report: ErasureReport = {
      replies: count('replies'),
      anonymousMarkers: count('anonymousMarkers'),
      conversations: count('conversations'),
      documentsUnlinked: count('documentsUnlinked'),
      hoursEntries: count('hoursEntries'),
    };
    const others = [...erased].filter(([part]) => !reported.has(part)).map(([part, count]) => `  ${part}: ${count}`);
    io.out.write(`${[t.cli.erased(user, `${team.tenant}/${team.team}`, report), ...others].join('\n')}\n`);
  });
  return 0;
}
