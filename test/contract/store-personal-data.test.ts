// The registry of personal data, on Redis and the embedded store: every port that keeps something about
// a person is in it, export finds the person in every part, and erase leaves them nowhere.
import { expect, it } from 'vitest';
import type { Member, StoreImplementation } from '../../src/app/ports.ts';
import type { Respondent } from '../../src/domain/replies/reply.ts';
import { erasePerson, exportPerson } from '../../src/cli/commands/person-data.ts';
import { dueIndexKeys, SHARD_NUMBERS, slackInstallationKey, teamsIndex, teamTag } from '../../src/store/keys.ts';
import { bo, eachStore, reply, run, TEAM } from './store-fixtures.ts';

/**
 * Every public method of a store, by port, and the parts of personal data each port contributes.
 * A method that is in none of them fails the first test: say which port it belongs to, and if that
 * port keeps anything about a person, give it a part in personalDataParts() and list it here.
 */
const PORTS: Record<string, { methods: string[]; parts: string[] }> = {
  // The run's own fields say nothing about a person; its members are MemberStore's.
  RunStore: { methods: ['saveRun', 'getRun', 'listRuns', 'listTeams'], parts: [] },
  // The scheduler's index: teams and times only.
  DueIndex: { methods: ['dueRuns', 'reschedule', 'markDue', 'markAllDue', 'dueAt'], parts: [] },
  MemberStore: { methods: ['saveMember', 'removeMember', 'members'], parts: ['member'] },
  ConversationStore: { methods: ['saveConversation', 'getConversation'], parts: ['conversations'] },
  ReplyStore: { methods: ['recordReply', 'namedReplies', 'anonymousReplies', 'respondents', 'hasAnswered', 'deleteRepliesBefore'], parts: ['replies', 'answeredAnonymously'] },
  DocumentStore: { methods: ['saveDocument', 'getDocument', 'documentVersions'], parts: ['documents'] },
  HoursStore: { methods: ['addHours', 'correctHours', 'hours', 'deleteHoursBefore'], parts: ['hours'] },
  ReminderStore: { methods: ['muteReminders', 'unmuteReminders', 'reminderMutes', 'snoozes', 'snoozeReminder', 'takeDueSnoozes', 'dropSnooze', 'deleteReminderRecordsBefore'], parts: ['reminders'] },
  // The installation is the workspace's; its installer (who, when) is the person's.
  SlackInstallationStore: { methods: ['saveSlackInstallation', 'getSlackInstallation', 'deleteSlackInstallation'], parts: ['slackInstallations'] },
  LocalTranscriptStore: { methods: ['saveLocalMessage', 'localMessages', 'saveLocalMail', 'localMails', 'deleteLocalBefore'], parts: ['localTranscript'] },
  PersonalDataRegistry: { methods: ['personalDataParts'], parts: [] },
  Closable: { methods: ['close', 'reachable'], parts: [] },
};

function publicMethods(store: object): string[] {
  const names = new Set<string>();
  for (let proto: object | null = store; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (name !== 'constructor' && typeof (store as Record<string, unknown>)[name] === 'function') names.add(name);
    }
  }
  return [...names].sort();
}

/** A person with ids found nowhere else, so a leftover cannot hide behind a common word. */
const ANNA = { userId: 'u-anna-7f3', platformUserId: '29:anna-aad-7f3', name: 'Anna Ørsted', email: 'anna.orsted@example.org' };
const annaRespondent: Respondent = { userId: ANNA.userId, platform: 'teams', platformUserId: ANNA.platformUserId };
const annaMember: Member = { userId: ANNA.userId, name: ANNA.name, email: ANNA.email, roles: ['leader'] };
const boMember: Member = { userId: bo.userId, name: 'Bo', email: 'bo@example.org', roles: ['staff'] };
const card = (text: string) => ({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text }] });

/** Anna in every port that can hold something about her, and a colleague beside her. */
async function annaEverywhere(store: StoreImplementation) {
  await store.saveRun(run([annaMember, boMember]));
  await store.recordReply(TEAM, reply({ respondent: annaRespondent }));
  await store.recordReply(TEAM, reply({ respondent: annaRespondent, answers: { outcome: 'answered', values: { legestemninger: 'ændret' } }, at: '2026-09-16T08:00:00.000Z' }));
  await store.recordReply(TEAM, reply({ respondent: bo }));
  await store.recordReply(TEAM, reply({ occurrenceId: 'spoergeskema-1', respondent: annaRespondent, anonymous: true, answers: { outcome: 'answered', values: { tryghed: '4' } } }));
  await store.recordReply(TEAM, reply({ occurrenceId: 'spoergeskema-1', respondent: bo, anonymous: true, answers: { outcome: 'answered', values: { tryghed: '5' } } }));
  await store.saveConversation(TEAM, { platform: 'teams', key: ANNA.userId, reference: { user: { id: ANNA.platformUserId } } });
  await store.saveConversation(TEAM, { platform: 'slack', key: bo.userId, reference: { channel: 'D0BO' } });
  await store.saveDocument(TEAM, { kind: 'actionPlan', occurrenceId: 'handleplan-1', authorId: ANNA.userId, fields: { maal: 'Mere leg' }, status: 'saved', at: '2026-10-01T09:00:00.000Z' });
  await store.addHours(TEAM, { userId: ANNA.userId, occurrenceId: 'x', role: 'leader', hours: 2, at: '2026-10-01T09:00:00.000Z' });
  await store.addHours(TEAM, { userId: bo.userId, occurrenceId: 'x', role: 'staff', hours: 1, at: '2026-10-01T09:00:00.000Z' });
  await store.addHours(TEAM, { userId: ANNA.userId, occurrenceId: 'y', role: 'leader', hours: 1, at: '2026-10-02T09:00:00.000Z' });
  await store.correctHours(TEAM, { userId: ANNA.userId, occurrenceId: 'y', hours: 1.5, at: '2026-10-03T09:00:00.000Z' });
  await store.muteReminders(TEAM, { userId: ANNA.userId, programmeId: 'odense-science-boernehoejde', start: '2026-09-07' });
  await store.muteReminders(TEAM, { userId: bo.userId, programmeId: 'odense-science-boernehoejde', start: '2026-09-07' });
  await store.snoozeReminder(TEAM, { userId: ANNA.userId, occurrenceId: 'tema-1-1', until: '2026-09-17T06:00:00.000Z' });
  await store.snoozeReminder(TEAM, { userId: bo.userId, occurrenceId: 'tema-1-1', until: '2026-09-17T06:00:00.000Z' });
  await store.saveLocalMessage(TEAM, ANNA.userId, { id: 'local-1', at: '2026-09-07T08:00:00.000Z', card: card('Hej'), text: 'Hej' });
  await store.saveLocalMessage(TEAM, bo.userId, { id: 'local-2', at: '2026-09-07T08:00:00.000Z', card: card('Hej'), text: 'Hej' });
  await store.saveLocalMail(TEAM, { id: 'mail-1', at: '2026-09-30T07:00:00.000Z', to: ANNA.email, subject: 'Plan', text: 'Hej' });
  await store.saveLocalMail(TEAM, { id: 'mail-2', at: '2026-09-30T07:00:00.000Z', to: 'bo@example.org', subject: 'Plan', text: 'Hej' });
  await store.saveSlackInstallation({
    key: TEAM.tenant,
    installation: { team: { id: TEAM.tenant }, user: { id: ANNA.userId, token: 'xoxp-anna', scopes: ['users:read'] }, bot: { id: 'B0BOT', token: 'xoxb-team-bot' } },
    installedBy: ANNA.userId,
    installedAt: '2026-09-01T08:00:00.000Z',
  });
}

const isEmpty = (value: unknown): boolean => value === null || value === undefined || (Array.isArray(value) ? value.length === 0 : typeof value === 'object' && Object.values(value).every(isEmpty));

eachStore('Personal data registry', (subject) => {
  it('has a port for every method of the store, and a part for every port that keeps personal data', () => {
    const { store } = subject();
    expect(publicMethods(store)).toEqual(
      Object.values(PORTS)
        .flatMap((p) => p.methods)
        .sort(),
    );
    expect(
      store
        .personalDataParts()
        .map((p) => p.name)
        .sort(),
    ).toEqual(
      Object.values(PORTS)
        .flatMap((p) => p.parts)
        .sort(),
    );
    // Last, because the transcript finds the person's mails by the address in their member entry.
    expect(store.personalDataParts().at(-1)?.name).toBe('member');
  });

  it('exports the person from every part, and nothing of a colleague’s', async () => {
    const { store } = subject();
    await annaEverywhere(store);
    const data = await exportPerson(store, TEAM, ANNA.userId);
    for (const part of store.personalDataParts()) expect(isEmpty(data[part.name]), `${part.name} in ${JSON.stringify(data)}`).toBe(false);
    expect(data).toMatchObject({
      team: TEAM,
      userId: ANNA.userId,
      member: annaMember,
      replies: [expect.objectContaining({ occurrenceId: 'tema-1-1', history: [expect.objectContaining({ at: '2026-09-14T10:15:00.000Z' })] })],
      answeredAnonymously: ['spoergeskema-1'],
      conversations: [expect.objectContaining({ key: ANNA.userId })],
      documents: [expect.objectContaining({ occurrenceId: 'handleplan-1' })],
      hours: [expect.objectContaining({ hours: 2 }), expect.objectContaining({ occurrenceId: 'y', hours: 1.5, planned: 1, correctedAt: '2026-10-03T09:00:00.000Z' })],
      reminders: { muted: expect.objectContaining({ userId: ANNA.userId }), snoozes: [{ userId: ANNA.userId, occurrenceId: 'tema-1-1', until: '2026-09-17T06:00:00.000Z' }] },
      localTranscript: { messages: [expect.objectContaining({ id: 'local-1' })], mails: [expect.objectContaining({ id: 'mail-1' })] },
      slackInstallations: [{ key: TEAM.tenant, installedBy: ANNA.userId, installedAt: '2026-09-01T08:00:00.000Z' }],
    });
    expect(JSON.stringify(data)).not.toMatch(/xoxb-|xoxp-/);
    expect(JSON.stringify(data)).not.toMatch(/U0BO|D0BO|bo@example|local-2|mail-2|"tryghed"/);
  });

  it('erases the person from every part, leaving them nowhere in the store, and the anonymous answers, their markers and colleagues as they were', async () => {
    const { store } = subject();
    await annaEverywhere(store);
    const erased = await erasePerson(store, TEAM, ANNA.userId);
    expect(Object.fromEntries(erased)).toEqual({ replies: 1, answeredAnonymously: 0, conversations: 1, documents: 1, hours: 2, reminders: 2, slackInstallations: 1, localTranscript: 2, member: 1 });

    const after = await exportPerson(subject().reopen(), TEAM, ANNA.userId);
    // The keyed marker stays, so no second answer: her export can still compute it, nothing else names her.
    for (const part of store.personalDataParts().filter((p) => p.name !== 'answeredAnonymously')) expect(isEmpty(after[part.name]), `${part.name} in ${JSON.stringify(after)}`).toBe(true);
    expect(after['answeredAnonymously']).toEqual(['spoergeskema-1']);
    const dump = await subject().dump();
    for (const trace of Object.values(ANNA)) expect(dump).not.toContain(trace);

    expect(await store.respondents(TEAM, 'tema-1-1')).toEqual(['bo']);
    expect(await store.hasAnswered(TEAM, 'spoergeskema-1', [ANNA.userId, bo.userId])).toEqual(new Set([ANNA.userId, bo.userId]));
    expect(await store.anonymousReplies(TEAM, 'spoergeskema-1')).toHaveLength(2);
    expect((await store.getDocument(TEAM, 'actionPlan', 'handleplan-1'))?.authorId).toBeNull();
    expect((await store.getRun(TEAM))?.members).toEqual([boMember]);
    expect(await store.hours(TEAM)).toHaveLength(1);
    expect((await store.reminderMutes(TEAM)).map((m) => m.userId)).toEqual([bo.userId]);
    expect(await store.takeDueSnoozes(TEAM, Date.parse('2026-09-18T00:00:00Z'))).toEqual([{ userId: bo.userId, occurrenceId: 'tema-1-1', until: '2026-09-17T06:00:00.000Z' }]);
    expect(await store.localMails(TEAM)).toHaveLength(1);
    expect((await store.getSlackInstallation(TEAM.tenant))?.installation).toMatchObject({ user: { id: 'erased' }, bot: { token: 'xoxb-team-bot' } });
    expect(dump).not.toContain('xoxp-anna');
    for (const trace of ['U0BO', 'D0BO', 'bo@example.org']) expect(dump).toContain(trace);
  });

  it('erases a member from a run still in the old shape, where the member was inside the run value', async () => {
    await subject().writeLegacyRun(run([annaMember, boMember]));
    const store = subject().reopen();
    expect(Object.fromEntries(await erasePerson(store, TEAM, ANNA.userId))).toMatchObject({ member: 1 });
    expect((await subject().reopen().getRun(TEAM))?.members).toEqual([boMember]);
    const dump = await subject().dump();
    for (const trace of Object.values(ANNA)) expect(dump).not.toContain(trace);
  });

  it('keeps every key of the team under the team’s hash tag (Redis)', async () => {
    const { store, namespace } = subject();
    if (!namespace) return;
    await annaEverywhere(store);
    const keys = (await subject().dump()).split('\n').map((line) => line.split(' ')[0]!);
    // Besides the indexes of teams (which, and when each is due: a shard each), only the workspace's Slack installation: no team's data, and read alone.
    const indexes = SHARD_NUMBERS.flatMap((shard) => [teamsIndex(shard, namespace), ...Object.values(dueIndexKeys(shard, namespace))]);
    const outsideTeams = [...indexes, slackInstallationKey(TEAM.tenant, namespace)];
    expect(keys.filter((key) => !outsideTeams.includes(key) && !key.includes(teamTag(TEAM)))).toEqual([]);
    expect(keys).toEqual(expect.arrayContaining([expect.stringContaining(':members'), expect.stringContaining(':member-order')]));
  });
});
