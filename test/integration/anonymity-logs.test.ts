// The log lines written while an anonymous reply is recorded, refused or repeated name no one: a line
// with the person beside the questionnaire would say who answered, to the second.
import { describe, expect, it } from 'vitest';
import type { TeamRef } from '../../src/app/ports.ts';
import { recordReply, type Submission } from '../../src/app/record-reply.ts';
import { activitiesById } from '../../src/domain/programme/activities.ts';
import { EmbeddedStore } from '../../src/store/embedded/embedded-store.ts';
import { fakeClock, memoryLogger } from '../support/fakes.ts';
import { programme } from '../support/plans.ts';
import { countingRandom } from '../support/stores.ts';

const activities = activitiesById(programme('odense-science-boernehoejde'));
const questionnaire = activities.get('spoergeskema-1')!;
const reflection = activities.get('tema-1-1')!;
const TEAM: TeamRef = { tenant: 'tenant-logs', team: 'team-logs' };
const ANNA = { userId: 'u-anna-5d2', platform: 'teams' as const, platformUserId: '29:aad-anna-5d2' };

describe('log lines of anonymous replies', () => {
  it('name neither the user id nor the platform id, whatever happens to the reply', async () => {
    const clock = fakeClock('2026-08-20T10:00:00Z');
    const logger = memoryLogger();
    const deps = { store: new EmbeddedStore(undefined, countingRandom()), clock, logger };
    const submit = (overrides: Partial<Submission>) =>
      recordReply(deps, {
        team: TEAM,
        activity: questionnaire,
        occurrence: { id: 'spoergeskema-1', closesAt: '2026-08-24T07:00:00Z' },
        respondent: ANNA,
        timeZone: 'Europe/Copenhagen',
        outcome: 'answered',
        values: { [questionnaire.questions[0]!.id]: '4' },
        ...overrides,
      });

    expect((await submit({})).status).toBe('created');
    expect((await submit({})).status).toBe('anonymousAlreadyAnswered');
    expect((await submit({ values: { [questionnaire.questions[0]!.id]: '9' } })).status).toBe('invalid');
    clock.set('2026-08-24T07:00:00Z');
    expect((await submit({})).status).toBe('closed');

    expect(logger.entries.map((e) => e.message)).toEqual(['reply recorded', 'reply recorded', 'malformed reply refused', 'reply after the close refused']);
    for (const entry of logger.entries) expect(entry.fields).toMatchObject({ tenant: TEAM.tenant, team: TEAM.team, occurrenceId: 'spoergeskema-1', anonymous: true });
    expect(JSON.stringify(logger.entries)).not.toMatch(/anna|5d2/);
  });

  it('while a named reply’s line says who, as before', async () => {
    const logger = memoryLogger();
    const deps = { store: new EmbeddedStore(undefined, countingRandom()), clock: fakeClock('2026-08-20T10:00:00Z'), logger };
    await recordReply(deps, {
      team: TEAM,
      activity: reflection,
      occurrence: { id: 'tema-1-1' },
      respondent: ANNA,
      timeZone: 'Europe/Copenhagen',
      outcome: 'answered',
      values: { [reflection.questions[0]!.id]: 'Vi leger mere ude' },
    });
    expect(logger.entries).toEqual([expect.objectContaining({ message: 'reply recorded', fields: expect.objectContaining({ userId: ANNA.userId }) })]);
  });
});
