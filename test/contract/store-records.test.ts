// The contract of the small ports (conversations, documents, hours, the playground's transcript), on Redis and the embedded store.
import { expect, it } from 'vitest';
import { eachStore, TEAM } from './store-fixtures.ts';

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
  it('adds up a ledger of hours', async () => {
    const { store } = subject();
    await store.addHours(TEAM, { userId: 'anna', occurrenceId: 'sparring:1', role: 'leader', hours: 1.5, at: '2026-10-01T12:00:00.000Z' });
    await store.addHours(TEAM, { userId: 'bo', occurrenceId: 'sparring:1', role: 'staff', hours: 1, at: '2026-10-01T12:00:00.000Z' });
    expect((await store.hours(TEAM)).reduce((sum, h) => sum + h.hours, 0)).toBe(2.5);
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
