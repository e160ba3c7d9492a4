// Two teams in two tenants for the tenant-isolation tests (test/isolation/*): the same programme, so their
// occurrence ids are the same strings, and data of every kind in the second (a named reply with a note only it
// has, an anonymous answer, a document, hours, a muted reminder and a snooze), so a test can tell that nothing of
// it changed and that none of it was shown.
import { DateTime } from 'luxon';
import type { Run, StoreImplementation, TeamRef } from '../../src/app/ports.ts';
import { planOf } from '../../src/app/run-plan.ts';
import type { Programme } from '../../src/domain/programme/schema.ts';
import type { Occurrence } from '../../src/domain/timeline/types.ts';
import { teamTag } from '../../src/store/keys.ts';
import { aRun } from './plans.ts';

/** Words only the second team's data holds: found in an answer, they came from there. */
export const THEIR_NOTE = 'Bodils note, kun i team B';
export const THEIR_PLAN = 'Team B’s handleplan, kun deres';

export interface Teams {
  a: Run;
  b: Run;
  /** An øvebane both teams' plans have (the same id), started in both: B has an answer on it. */
  shared: Occurrence;
}

/**
 * The two runs: A started three weeks ago, B four, on the same programme in UTC. `members` gives each team's
 * people (a person of both, by the same id, is the interesting one).
 */
export function twoTeams(programme: Programme, teams: { a: TeamRef; b: TeamRef }, members: { a: Run['members']; b: Run['members'] }): Teams {
  const start = (days: number) => DateTime.utc().minus({ days }).toISODate()!;
  const a = aRun({ team: teams.a, programmeId: programme.id, start: start(21), timeZone: 'UTC', members: members.a, channelKey: `channel:${teams.a.team}` });
  const b = aRun({ team: teams.b, programmeId: programme.id, start: start(28), timeZone: 'UTC', members: members.b, channelKey: `channel:${teams.b.team}` });
  const now = Date.now();
  const started = (run: Run) =>
    new Set(
      planOf(run, programme)
        .occurrences.filter((o) => o.activityId === 'oevebane' && Date.parse(o.start) < now - 24 * 3600_000)
        .map((o) => o.id),
    );
  const inA = started(a);
  const shared = planOf(b, programme).occurrences.find((o) => o.activityId === 'oevebane' && started(b).has(o.id) && inA.has(o.id))!;
  return { a, b, shared };
}

/** B's data of every kind a person's click or command could reach. */
export async function seedTheirs(store: StoreImplementation, teams: Teams, platform: 'teams' | 'slack' | 'local'): Promise<void> {
  const { b, shared } = teams;
  const staff = b.members.find((m) => m.roles.includes('staff'))!.userId;
  const leader = b.members.find((m) => m.roles.includes('leader'))!.userId;
  const at = new Date().toISOString();
  const respondent = (userId: string) => ({ userId, platform, platformUserId: userId });
  await store.saveRun(b);
  await store.recordReply(b.team, { occurrenceId: shared.id, respondent: respondent(staff), answers: { outcome: 'done', values: { note: THEIR_NOTE } }, at, anonymous: false, day: at.slice(0, 10) });
  await store.recordReply(b.team, { occurrenceId: 'skema', respondent: respondent(staff), answers: { outcome: 'answered', values: { tryghed: '2' } }, at, anonymous: true, day: at.slice(0, 10) });
  await store.saveDocument(b.team, { kind: 'actionPlan', occurrenceId: 'handleplan-1', authorId: leader, fields: { maal: THEIR_PLAN }, status: 'saved', at });
  await store.addHours(b.team, { userId: staff, occurrenceId: shared.id, role: 'staff', hours: 0.25, at });
  await store.muteReminders(b.team, { userId: staff, programmeId: b.programmeId, start: b.start });
  await store.snoozeReminder(b.team, { userId: leader, occurrenceId: shared.id, until: DateTime.utc().plus({ days: 1 }).toISO()! });
}

/** The keys of one team in a digest (TeamData.digest): those under its hash tag. */
export function partOf(digest: Record<string, string>, team: TeamRef): Record<string, string> {
  const tag = `:${teamTag(team)}:`;
  return Object.fromEntries(Object.entries(digest).filter(([key]) => key.includes(tag)));
}
