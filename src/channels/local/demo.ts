import { DateTime } from 'luxon';
import type { Run, Store, TeamRef } from '../../app/ports.ts';
import { planOf } from '../../app/run-plan.ts';
import { DEFAULT_TIMEZONE } from '../../domain/calendar/calendar.ts';
import type { Programme } from '../../domain/programme/schema.ts';

/** The playground's team: a leader, four staff, a consultant and a guide, all in one chat space. */
export const DEMO_TEAM: TeamRef = { tenant: 'playground', team: 'demo' };
export const CHANNEL_KEY = 'channel';

export const DEMO_MEMBERS: Run['members'] = [
  { userId: 'leder', name: 'Lene', roles: ['leader'] },
  { userId: 's1', name: 'Søren', roles: ['staff'] },
  { userId: 's2', name: 'Aisha', roles: ['staff'] },
  { userId: 's3', name: 'Mikkel', roles: ['staff'] },
  { userId: 's4', name: 'Freja', roles: ['staff'] },
  { userId: 'konsulent', name: 'Karin', roles: ['consultant'] },
  { userId: 'vejleder', name: 'Mette', roles: ['guide'], email: 'mette.vejleder@example.org' },
];

/** Monday of this week in the team's zone: a demo that starts "now". */
export function thisMonday(now: Date, timeZone = DEFAULT_TIMEZONE): string {
  return DateTime.fromJSDate(now, { zone: timeZone }).startOf('week').toISODate()!;
}

/**
 * Seeds the demo run once (a restart keeps what was there) and returns where the demo clock
 * starts: at the first øvebane, so there is something to answer straight away.
 */
export async function seedDemo(store: Store, programme: Programme, start: string): Promise<{ run: Run; clockStart: Date }> {
  const country = programme.country;
  const existing = await store.getRun(DEMO_TEAM);
  const run: Run = existing ?? {
    team: DEMO_TEAM,
    programmeId: programme.id,
    start,
    settings: {},
    timeZone: DEFAULT_TIMEZONE,
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
  const plan = planOf(run, programme);
  const first = plan.occurrences.find((o) => o.kind === 'practicePrompt') ?? plan.occurrences[0];
  return { run, clockStart: new Date(first?.start ?? `${run.start}T08:00:00Z`) };
}
