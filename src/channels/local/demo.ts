import { DateTime } from 'luxon';
import type { Run, Store, TeamRef } from '../../app/ports.ts';
import { planOf } from '../../app/run-plan.ts';
import { COUNTRY_ZONE } from '../../app/setup/options.ts';
import { DEFAULT_TIMEZONE } from '../../domain/calendar/calendar.ts';
import type { Programme } from '../../domain/programme/schema.ts';

/** The playground's team: a leader, four staff, a consultant, a guide and a chief (Kolding's skolechef), all in one chat space. */
export const DEMO_TEAM: TeamRef = { tenant: 'playground', team: 'demo' };

export const isDemoTeam = (run: Pick<Run, 'team'>) => run.team.tenant === DEMO_TEAM.tenant && run.team.team === DEMO_TEAM.team;
export const CHANNEL_KEY = 'channel';

export const DEMO_MEMBERS: Run['members'] = [
  { userId: 'leder', name: 'Lene', roles: ['leader'] },
  { userId: 's1', name: 'Søren', roles: ['staff'] },
  { userId: 's2', name: 'Aisha', roles: ['staff'] },
  { userId: 's3', name: 'Mikkel', roles: ['staff'] },
  { userId: 's4', name: 'Freja', roles: ['staff'] },
  { userId: 'konsulent', name: 'Karin', roles: ['consultant'] },
  { userId: 'vejleder', name: 'Mette', roles: ['guide'], email: 'mette.vejleder@example.org' },
  { userId: 'chef', name: 'Jens', roles: ['chief'] },
];

/** Monday of this week in the team's zone: a demo that starts "now". */
export function thisMonday(now: Date, timeZone = DEFAULT_TIMEZONE): string {
  return DateTime.fromJSDate(now, { zone: timeZone }).startOf('week').toISODate()!;
}

/** When the demo's day begins: early enough that the first morning's cards are still to come. */
const DAY_BEGINS = '07:00';

/**
 * Seeds the demo run once (a restart keeps what was there) and returns where the demo clock starts: on the
 * programme's first day, before its first activity, so nothing of the programme is skipped. `created`: the
 * run is new, to be announced.
 */
export async function seedDemo(store: Store, programme: Programme, start: string): Promise<{ run: Run; clockStart: Date; created: boolean }> {
  const country = programme.country;
  const existing = await store.getRun(DEMO_TEAM);
  const run: Run = existing ?? {
    team: DEMO_TEAM,
    programmeId: programme.id,
    start,
    settings: {},
    timeZone: COUNTRY_ZONE[country],
    country,
    locale: country === 'SE' ? 'sv' : 'da',
    active: true,
    members: DEMO_MEMBERS,
    channelKey: CHANNEL_KEY,
  };
  if (!existing) {
    await store.saveRun(run);
    for (const key of [...DEMO_MEMBERS.map((m) => m.userId), CHANNEL_KEY]) {
      await store.saveConversation(DEMO_TEAM, { platform: 'local', key, reference: { conversation: { id: `local:${key}` } } });
    }
  }
  const dayBegins = DateTime.fromISO(`${run.start}T${DAY_BEGINS}`, { zone: run.timeZone }).toJSDate();
  const first = planOf(run, programme).occurrences[0];
  const clockStart = first && Date.parse(first.start) < dayBegins.getTime() ? new Date(Date.parse(first.start) - 60_000) : dayBegins;
  return { run, clockStart, created: !existing };
}
