// The contract of the small ports (conversations, documents, hours, the playground's transcript), on Redis and the embedded store.
import { expect, it } from 'vitest';
import { eachStore, OTHER, TEAM } from './store-fixtures.ts';

eachStore('ConversationStore', (subject) => {
  it('keeps where to reach a person', async () => {
    const { store } = subject();
    const ref = { platform: 'teams' as const, key: 'anna', reference: { serviceUrl: 'https://smba.example/', conversation: { id: 'a:1' } } };
    await store.saveConversation(TEAM, ref);
    expect(await store.getConversation(TEAM, 'anna')).toEqual(ref);
    expect(await subject().reopen().getConversation(TEAM, 'anna')).toEqual(ref);
    expect(await store.getConversation(TEAM, 'bo')).toBeUndefined();
  });
});

eachStore('DocumentStore', (subject) => {
  it('keeps the latest version of a draft', async () => {
    const { store } = subject();
    const draft = { kind: 'idoArt' as const, occurrenceId: 'idoart-1', authorId: 'konsulent', fields: { intention: 'At samle op' }, status: 'draft' as const, at: '2026-11-01T09:00:00.000Z' };
    await store.saveDocument(TEAM, draft);
    await store.saveDocument(TEAM, { ...draft, status: 'approved' });
    expect(await store.getDocument(TEAM, 'idoArt', 'idoart-1')).toEqual({ ...draft, status: 'approved' });
    expect(await store.getDocument(TEAM, 'actionPlan', 'idoart-1')).toBeUndefined();
  });

  it('keeps every version with who saved it and when, oldest first, and unlinks an erased author from each', async () => {
    const { store } = subject();
    const plan = { kind: 'actionPlan' as const, occurrenceId: 'handleplan', authorId: 'lene', fields: { maal: 'Mere elevstemme' }, status: 'saved' as const, at: '2026-11-01T09:00:00.000Z' };
    await store.saveDocument(TEAM, plan);
    await store.saveDocument(TEAM, { ...plan, authorId: 'karin', fields: { maal: 'Mere elevstemme i 5.-6. klasse' }, at: '2026-11-02T09:00:00.000Z' });
    const versions = await subject().reopen().documentVersions(TEAM, 'actionPlan', 'handleplan');
    expect(versions.map((v) => [v.authorId, v.at, v.fields['maal']])).toEqual([
      ['lene', '2026-11-01T09:00:00.000Z', 'Mere elevstemme'],
      ['karin', '2026-11-02T09:00:00.000Z', 'Mere elevstemme i 5.-6. klasse'],
    ]);
    expect(await store.documentVersions(TEAM, 'idoArt', 'handleplan')).toEqual([]);

    const documents = store.personalDataParts().find((p) => p.name === 'documents')!;
    expect(await documents.export(TEAM, 'lene')).toEqual([expect.objectContaining({ authorId: 'lene', at: '2026-11-01T09:00:00.000Z' })]);
    await documents.erase(TEAM, 'lene');
    expect((await store.documentVersions(TEAM, 'actionPlan', 'handleplan')).map((v) => v.authorId)).toEqual([null, 'karin']);
    expect(await subject().dump()).not.toContain('lene');
  });
});

eachStore('HoursStore', (subject) => {
  const booking = (userId: string, occurrenceId: string, hours: number) => ({ userId, occurrenceId, role: 'staff', hours, at: '2026-10-01T12:00:00.000Z' });

  it('adds up a ledger of hours', async () => {
    const { store } = subject();
    await store.addHours(TEAM, { userId: 'anna', occurrenceId: 'sparring:1', role: 'leader', hours: 1.5, at: '2026-10-01T12:00:00.000Z' });
    await store.addHours(TEAM, { userId: 'bo', occurrenceId: 'sparring:1', role: 'staff', hours: 1, at: '2026-10-01T12:00:00.000Z' });
    expect((await store.hours(TEAM)).reduce((sum, h) => sum + h.hours, 0)).toBe(2.5);
  });

  it('books a person once per occurrence, however often it is booked, also by two replicas at once', async () => {
    const { store, replica } = subject();
    const other = replica?.() ?? store;
    const results = await Promise.all([store.addHours(TEAM, booking('anna', 'opstart', 1.5)), other.addHours(TEAM, booking('anna', 'opstart', 1.5))]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await store.addHours(TEAM, booking('anna', 'opstart', 2))).toBe(false);
    expect(await store.addHours(TEAM, booking('anna', 'temamoede-1', 4))).toBe(true);
    expect((await subject().reopen().hours(TEAM)).map((h) => [h.userId, h.occurrenceId, h.hours])).toEqual([
      ['anna', 'opstart', 1.5],
      ['anna', 'temamoede-1', 4],
    ]);
  });

  it("keeps a person's correction with the planned hours beside it, and a later booking does not undo it", async () => {
    const { store } = subject();
    await store.addHours(TEAM, booking('anna', 'opstart', 1.5));
    await store.addHours(TEAM, booking('bo', 'opstart', 1.5));
    expect(await store.correctHours(TEAM, { userId: 'anna', occurrenceId: 'opstart', hours: 2.25, at: '2026-10-02T08:00:00.000Z' })).toBe(true);
    expect(await store.correctHours(TEAM, { userId: 'anna', occurrenceId: 'opstart', hours: 0, at: '2026-10-03T08:00:00.000Z' })).toBe(true);
    await store.addHours(TEAM, booking('anna', 'opstart', 1.5));
    // No booking, nothing to correct: nothing is created.
    expect(await store.correctHours(TEAM, { userId: 'anna', occurrenceId: 'afslutning', hours: 3, at: '2026-10-03T08:00:00.000Z' })).toBe(false);
    const entries = await subject().reopen().hours(TEAM);
    expect(entries).toEqual([{ ...booking('anna', 'opstart', 0), planned: 1.5, correctedAt: '2026-10-03T08:00:00.000Z' }, booking('bo', 'opstart', 1.5)]);
  });
});

eachStore('HoursStore retention', (subject) => {
  it('deletes bookings last changed before the cutoff, a correction counting as a change', async () => {
    const { store } = subject();
    await store.addHours(TEAM, { userId: 'anna', occurrenceId: 'opstart', role: 'staff', hours: 1.5, at: '2025-09-07T12:00:00.000Z' });
    await store.addHours(TEAM, { userId: 'bo', occurrenceId: 'opstart', role: 'staff', hours: 1.5, at: '2025-09-07T12:00:00.000Z' });
    await store.addHours(TEAM, { userId: 'anna', occurrenceId: 'afslutning', role: 'staff', hours: 1.5, at: '2026-09-07T12:00:00.000Z' });
    await store.correctHours(TEAM, { userId: 'bo', occurrenceId: 'opstart', hours: 2, at: '2026-02-01T08:00:00.000Z' });
    expect(await store.deleteHoursBefore(TEAM, new Date('2026-01-01T00:00:00Z'))).toBe(1);
    expect((await subject().reopen().hours(TEAM)).map((h) => [h.userId, h.occurrenceId])).toEqual([
      ['bo', 'opstart'],
      ['anna', 'afslutning'],
    ]);
    expect(await store.deleteHoursBefore(OTHER, new Date('2026-01-01T00:00:00Z'))).toBe(0);
  });
});

eachStore('LocalTranscriptStore', (subject) => {
  it('keeps messages by conversation in the order posted, a replaced card in place, and the sent mails', async () => {
    const { store } = subject();
    const card = (text: string) => ({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text }] });
    await store.saveLocalMessage(TEAM, 's1', { id: 'local-b', at: '2026-09-07T08:00:01.000Z', card: card('anden'), text: 'anden' });
    await store.saveLocalMessage(TEAM, 's1', { id: 'local-a', at: '2026-09-07T08:00:00.000Z', card: card('første'), text: 'første' });
    await store.saveLocalMessage(TEAM, 's1', { id: 'local-a', at: '2026-09-07T08:00:00.000Z', updatedAt: '2026-09-07T09:00:00.000Z', card: card('besvaret'), text: 'besvaret' });
    await store.saveLocalMessage(TEAM, 'channel', { id: 'local-c', at: '2026-09-07T08:00:02.000Z', card: card('kanal'), text: 'kanal' });
    expect((await subject().reopen().localMessages(TEAM, 's1')).map((m) => m.text)).toEqual(['besvaret', 'anden']);
    expect(await store.localMessages(TEAM, 's2')).toEqual([]);
    await store.saveLocalMail(TEAM, { id: 'mail-1', at: '2026-09-30T07:00:00.000Z', to: 'mette@example.org', subject: 'Plan', text: 'Hej', ics: 'BEGIN:VCALENDAR' });
    expect(await subject().reopen().localMails(TEAM)).toEqual([expect.objectContaining({ subject: 'Plan', ics: 'BEGIN:VCALENDAR' })]);
  });
});
