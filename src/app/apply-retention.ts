import type { Clock, Logger, Store } from './ports.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Deletes every team's replies older than `days` (0 keeps everything); returns how many went. */
export async function applyRetention(deps: { store: Store; clock: Clock; logger: Logger }, days: number): Promise<number> {
  if (days <= 0) return 0;
  const cutoff = new Date(deps.clock.now().getTime() - days * DAY_MS);
  let total = 0;
  for (const team of await deps.store.listTeams()) {
    const deleted = await deps.store.deleteRepliesBefore(team, cutoff);
    if (deleted > 0) deps.logger.info({ tenant: team.tenant, team: team.team, deleted, cutoff: cutoff.toISOString() }, 'old replies deleted');
    total += deleted;
  }
  return total;
}
