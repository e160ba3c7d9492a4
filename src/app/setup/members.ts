import type { ViewModelInput } from '../../cards/view-models.ts';
import type { AppDeps } from '../context.ts';
import type { Member, Run, TeamRef } from '../ports.ts';
import { planOf } from '../run-plan.ts';
import { roleNameOf } from '../../domain/roles/names.ts';

const optional = <K extends string>(key: K, value: string | undefined) => (value === undefined ? {} : ({ [key]: value } as Record<K, string>));

/**
 * A team's people as the platform reports them: the roster read at install, members who join or
 * leave later, and the bot's removal. Roles are only ever given on the set-up card; anyone else
 * takes part as staff. Nothing here talks to a platform.
 */

type Deps = Pick<AppDeps, 'store' | 'outbox' | 'clock' | 'programmes' | 'logger'>;

const sameEntry = (a: Member, b: Member) => a.name === b.name && a.email === b.email;

/** A member as stored: their roles kept, their name and address as the platform has them now. */
function merged(stored: Member | undefined, seen: Member): Member {
  const roles = stored?.roles.length ? stored.roles : (['staff'] as Member['roles']);
  return {
    userId: seen.userId,
    roles,
    ...(seen.name ? { name: seen.name } : stored?.name ? { name: stored.name } : {}),
    ...(seen.email ? { email: seen.email } : stored?.email ? { email: stored.email } : {}),
  };
}

/**
 * The roster read at install: new people are added as staff, known ones keep their roles. With a
 * `complete` roster (every page read), people no longer in it are removed: they left while the
 * bot was away. Returns how many were added and removed.
 */
export async function rosterSeen(deps: Deps, team: TeamRef, roster: Member[], options: { complete: boolean }): Promise<{ added: number; removed: number }> {
  const stored = new Map((await deps.store.members(team)).map((m) => [m.userId, m]));
  let added = 0;
  for (const seen of roster) {
    const before = stored.get(seen.userId);
    const after = merged(before, seen);
    if (before && sameEntry(before, after)) continue;
    await deps.store.saveMember(team, after);
    if (!before) added++;
  }
  let removed = 0;
  if (options.complete) {
    const present = new Set(roster.map((m) => m.userId));
    for (const userId of stored.keys()) if (!present.has(userId) && (await deps.store.removeMember(team, userId))) removed++;
  }
  deps.logger.info({ tenant: team.tenant, team: team.team, roster: roster.length, added, removed }, 'team roster read');
  return { added, removed };
}

/**
 * Someone joined the team: they take part as staff (someone already known keeps their roles). When
 * the team's run is on, they get a welcome in their own chat (once). Returns whether they are new.
 */
export async function memberJoined(deps: Deps, team: TeamRef, member: Member, options: { teamName?: string } = {}): Promise<boolean> {
  const known = (await deps.store.members(team)).find((m) => m.userId === member.userId);
  const entry = merged(known, member);
  if (!known || !sameEntry(known, entry)) await deps.store.saveMember(team, entry);
  deps.logger.info({ tenant: team.tenant, team: team.team, userId: member.userId, known: Boolean(known) }, 'member joined');
  const run = await deps.store.getRun(team);
  const data = !known && run?.active ? welcomeFor(deps, run, entry, options.teamName) : undefined;
  if (run && data) {
    const card = { name: 'welcome', data, locale: run.locale, timeZone: run.timeZone };
    await deps.outbox.enqueue([{ team, occurrenceId: 'welcome', recipient: member.userId, card }], deps.clock.now().getTime());
  }
  return !known;
}

/** A member's welcome to a run: the programme, their role, and the first date that is theirs. Undefined for a run of an unknown programme. */
export function welcomeFor(deps: Pick<AppDeps, 'programmes' | 'clock'>, run: Run, member: Member, teamName?: string): ViewModelInput<'welcome'> | undefined {
  const programme = deps.programmes.get(run.programmeId);
  if (!programme) return undefined;
  const now = deps.clock.now().getTime();
  const role = member.roles.find((r) => r !== 'staff') ?? 'staff';
  const first = planOf(run, programme).occurrences.find((o) => Date.parse(o.start) >= now && o.audience.some((r) => member.roles.includes(r)));
  return {
    ...(teamName ? { teamName } : {}),
    programmeTitle: programme.title[run.locale],
    programmeSummary: programme.summary[run.locale],
    role,
    ...optional('roleName', roleNameOf(programme, role, run.locale)),
    ...(first ? { firstAt: first.start } : {}),
  };
}

/** Someone left the team: they are out of the run, so nothing more is sent to them. Their replies stay until erase or retention. */
export async function memberLeft(deps: Deps, team: TeamRef, userId: string): Promise<boolean> {
  const removed = await deps.store.removeMember(team, userId);
  deps.logger.info({ tenant: team.tenant, team: team.team, userId, removed }, 'member left');
  return removed;
}

/**
 * The bot was removed from the team: its run stops (the scheduler sends nothing for an inactive run)
 * and everything stored stays until `sparring erase` or the retention sweep. Returns whether a run stopped.
 */
export async function uninstalled(deps: Deps, team: TeamRef): Promise<boolean> {
  const run = await deps.store.getRun(team);
  const stopped = Boolean(run?.active);
  // Only the run's own fields: members are left exactly as they are (one may be leaving at this moment).
  if (run?.active) await deps.store.saveRun({ ...run, members: [], active: false });
  deps.logger.info({ tenant: team.tenant, team: team.team, stopped }, 'bot removed from the team');
  return stopped;
}
