import type { Closable, ErasureReport, Outbox, PersonalDataRegistry, RunStore, TeamRef } from '../../app/ports.ts';
import type { Messages } from '../../i18n/messages.ts';
import { UsageError, type CliIo } from '../io.ts';
import { parseOptions } from '../options.ts';

/**
 * `sparring export` and `sparring erase`: a person's data rights. Both find the team by its id
 * (and the tenant when a team id is used in more than one), then act on that team's data only,
 * through the store's registry of personal data and nothing else: whatever a port lists there is
 * exported and erased, and a port cannot be forgotten here.
 */

/** What export and erase need of a store: the teams it knows, and its parts of personal data. */
export type PersonDataStore = Pick<RunStore, 'listTeams'> & PersonalDataRegistry & Closable;

export interface StoreAccess {
  openStore(): PersonDataStore;
  /** The delivery outbox the bot's replicas share (Redis); empty on a machine with the embedded store. */
  openOutbox(): Outbox & { close(): Promise<void> };
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

async function withPerson(args: string[], t: Messages, usage: string, access: StoreAccess, act: (store: PersonDataStore, team: TeamRef, user: string) => Promise<void>) {
  const { values, positionals } = parseOptions(args, { team: { type: 'string' }, tenant: { type: 'string' }, user: { type: 'string' }, locale: { type: 'string' } }, t);
  if (!values.team || !values.user || positionals.length > 0) throw new UsageError(usage);
  const store = access.openStore();
  try {
    const teams = (await store.listTeams()).filter((ref) => ref.team === values.team && (values.tenant === undefined || ref.tenant === values.tenant));
    if (teams.length === 0) throw new UsageError(t.cli.unknownTeam(values.team, [...new Set((await store.listTeams()).map((ref) => ref.team))]));
    if (teams.length > 1)
      throw new UsageError(
        t.cli.ambiguousTeam(
          values.team,
          teams.map((ref) => ref.tenant),
        ),
      );
    await act(store, teams[0]!, values.user);
  } finally {
    await store.close();
  }
}

export async function exportCommand(args: string[], io: CliIo, t: Messages, access: StoreAccess): Promise<number> {
  await withPerson(args, t, t.cli.exportUsage, access, async (store, team, user) => {
    io.out.write(`${JSON.stringify(await exportPerson(store, team, user), null, 2)}\n`);
  });
  return 0;
}

export async function eraseCommand(args: string[], io: CliIo, t: Messages, access: StoreAccess): Promise<number> {
  await withPerson(args, t, t.cli.eraseUsage, access, async (store, team, user) => {
    const erased = await erasePerson(store, team, user);
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
