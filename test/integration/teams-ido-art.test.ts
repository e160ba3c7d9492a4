// The shared I DO ART draft on Teams: Action.Execute invokes POSTed to /api/messages of the server as
// `npm start` builds it (on Redis, TEAMS_AUTH_DISABLED), real botbuilder, the draft's versions delivered to
// the fake Bot Connector by the server's own delivery loop.
import { DateTime } from 'luxon';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Run, TeamRef } from '../../src/app/ports.ts';
import { planOf } from '../../src/app/run-plan.ts';
import { parseProgramme } from '../../src/programmes/load.ts';
import { aRun } from '../support/plans.ts';
import { cardAction, personalConversation, type Where } from '../support/teams-activities.ts';
import { seedTeamsRun, useTeamsServer } from '../support/teams-server.ts';
import { waitFor } from '../support/wait-for.ts';

const TENANT = 'tenant-teams-ido-art';
const TEAM: TeamRef = { tenant: TENANT, team: '19:skole@thread.tacv2' };

/** A læringssamtale five days after the run's start and its I DO ART the day after the start, on any day: the draft is out now, the conversation to come. */
const PROGRAMME = `
schemaVersion: 1
id: ido-art-test
language: da
title: { da: I DO ART-prøve, sv: I DO ART-prov, en: I DO ART test }
summary: { da: Et forløb til test, sv: Ett testprogram, en: A test programme }
source: test
lengthMonths: 1
phases:
  - id: only
    title: { da: Eneste fase, sv: Enda fasen, en: Only phase }
    activities:
      - id: idoart
        kind: idoArtDraft
        title: { da: I DO ART til læringssamtalen, sv: I DO ART inför lärsamtalet, en: I DO ART for the conversation }
        audience: [consultant, leader]
        durationMinutes: 30
        allowNonWorkingDays: true
        postDaysBefore: 4
        timing: { type: before, activity: samtale, days: 4, time: "00:00" }
        questions:
          - id: intention
            text: { da: "I – Intention: Hvad er formålet?", sv: "I – Intention: Vad är syftet?", en: "I – Intention: What is the purpose?" }
      - id: samtale
        kind: learningConversation
        title: { da: Læringssamtale, sv: Lärsamtal, en: Learning conversation }
        audience: [leader, consultant, staff]
        durationMinutes: 120
        allowNonWorkingDays: true
        timing: { type: offset, days: 5, time: "13:00" }
`;
const programme = parseProgramme(PROGRAMME, 'ido-art-test.yaml');
const RUN: Run = aRun({
  team: TEAM,
  programmeId: 'ido-art-test',
  start: DateTime.utc().minus({ days: 2 }).toISODate()!,
  timeZone: 'UTC',
  members: [
    { userId: '29:lene', name: 'Lene', roles: ['leader'] },
    { userId: '29:karin', name: 'Karin', roles: ['consultant'] },
    { userId: '29:sofie', name: 'Sofie', roles: ['staff'] },
  ],
});
const draft = planOf(RUN, programme).occurrences.find((o) => o.activityId === 'idoart')!;
const ref = { programmeId: 'ido-art-test', activityId: 'idoart', occurrenceId: draft.id };

describe('Teams: the shared I DO ART draft', () => {
  const teams = useTeamsServer({
    name: 'teams-ido-art',
    programmes: { 'ido-art-test.yaml': PROGRAMME },
    seed: (store, fake) => seedTeamsRun(store, RUN, fake.url),
  });
  let personal: Where;
  beforeAll(() => {
    personal = { serviceUrl: teams.fake.url, tenant: TENANT };
  });

  const click = async (userId: string, verb: string, inputs: Record<string, unknown>) => {
    const answer = await teams.post(cardAction(userId, verb, { card: 'ido-art-draft', ref }, inputs, personal));
    expect(answer.status).toBe(200);
    return JSON.stringify((answer.body as { value: unknown }).value);
  };
  /** The proactive posts the fake Bot Connector took for a person's chat. */
  const postedTo = (userId: string) =>
    teams.fake
      .accepted()
      .filter((m) => JSON.stringify(m.activity['conversation'] ?? '').includes(personalConversation(userId)) && !m.activity['replyToId'])
      .map((m) => JSON.stringify(m.activity['attachments']));

  it('shares the leader’s version with the consultant, refuses the leader’s approval, and answers the consultant’s only once the agenda is queued', async () => {
    expect(await click('29:lene', 'saveDraft', { 'section:intention': 'At samle op på makkersnak.' })).toContain('Gemt. De andre har fået udkastet');
    await waitFor(() => postedTo('29:karin').some((card) => card.includes('At samle op på makkersnak.')), { what: 'the leader’s version in the consultant’s chat' });

    const refused = await click('29:lene', 'approve', { 'section:intention': 'Godkendt af mig selv' });
    expect(refused).toContain('Det gik ikke');
    expect(refused).toContain('Konsulent');
    expect(await teams.store.documentVersions(TEAM, 'idoArt', draft.id)).toHaveLength(1);

    const approved = await click('29:karin', 'approve', { 'section:intention': 'At samle op på makkersnak.' });
    expect(approved).toContain('Godkendt. Dagsordenen sendes til deltagerne');
    expect((await teams.store.getDocument(TEAM, 'idoArt', draft.id))?.status).toBe('approved');
    // The agenda was due four days before the conversation, yesterday: the server's delivery sends it now.
    await waitFor(() => postedTo('29:sofie').some((card) => card.includes('Dagsorden (I DO ART)') && card.includes('At samle op på makkersnak.')), {
      what: 'the approved agenda in a staff member’s chat',
    });
  });
});
