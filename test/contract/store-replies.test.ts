// The contract of ReplyStore, on Redis and the embedded store: idempotent writes, anonymity, retention.
import { expect, it } from 'vitest';
import { anna, anonymous, bo, eachStore, OTHER, reply, TEAM } from './store-fixtures.ts';

eachStore('ReplyStore: named replies', (subject) => {
  it('stores one reply per person and occurrence: the same answers again change nothing', async () => {
    const { store } = subject();
    expect(await store.recordReply(TEAM, reply())).toBe('created');
    const resent = reply({ answers: { outcome: 'answered', values: { stoette: 'Jeg venter', legestemninger: 'Rolig leg i puderummet' } }, at: '2026-09-14T10:15:09.000Z' });
    expect(await store.recordReply(TEAM, resent)).toBe('duplicate');
    const stored = await store.namedReplies(TEAM, 'tema-1-1');
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ respondent: anna, at: '2026-09-14T10:15:00.000Z', history: [] });
  });

  it('stores one reply when the same submit arrives many times at once (double clicks, retries, replicas)', async () => {
    const { store, replica } = subject();
    const stores = replica ? [store, replica(), replica()] : [store];
    const outcomes = await Promise.all(Array.from({ length: 30 }, (_, i) => stores[i % stores.length]!.recordReply(TEAM, reply())));
    expect(outcomes.filter((o) => o === 'created')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(29);
    expect(await store.namedReplies(TEAM, 'tema-1-1')).toHaveLength(1);
  });

  it('replaces a reply that a person edits, keeping the earlier version', async () => {
    const { store } = subject();
    await store.recordReply(TEAM, reply());
    const edited = reply({ answers: { outcome: 'answered', values: { legestemninger: 'Vild leg på legepladsen' } }, at: '2026-09-15T08:00:00.000Z' });
    expect(await store.recordReply(TEAM, edited)).toBe('updated');
    const [stored] = await store.namedReplies(TEAM, 'tema-1-1');
    expect(stored?.values).toEqual({ legestemninger: 'Vild leg på legepladsen' });
    expect(stored?.history).toEqual([{ outcome: 'answered', values: reply().answers.values, at: '2026-09-14T10:15:00.000Z' }]);
  });

  it('keeps teams and occurrences apart, and knows who has answered', async () => {
    const { store } = subject();
    await store.recordReply(TEAM, reply());
    await store.recordReply(TEAM, reply({ respondent: bo }));
    await store.recordReply(OTHER, reply({ respondent: bo, occurrenceId: 'tema-1-2' }));
    expect(await store.respondents(TEAM, 'tema-1-1')).toEqual(['anna', 'bo']);
    expect(await store.respondents(OTHER, 'tema-1-1')).toEqual([]);
    expect((await store.namedReplies(OTHER, 'tema-1-2')).map((r) => r.respondent.userId)).toEqual(['bo']);
    expect(await store.listTeams()).toEqual(expect.arrayContaining([TEAM, OTHER]));
  });
});

eachStore('ReplyStore: anonymous replies', (subject) => {
  it('stores the answers with the day only, and who answered apart from them', async () => {
    const { store } = subject();
    expect(await store.recordReply(TEAM, anonymous(anna, { tryghed: '4' }))).toBe('created');
    expect(await store.recordReply(TEAM, anonymous(bo, { tryghed: '2' }))).toBe('created');
    const answers = await store.anonymousReplies(TEAM, 'spoergeskema-1');
    expect(answers.map((a) => a.values['tryghed']).sort()).toEqual(['2', '4']);
    for (const a of answers) expect(Object.keys(a).sort()).toEqual(['day', 'occurrenceId', 'outcome', 'values']);
    expect(JSON.stringify(answers)).not.toMatch(/anna|bo|29:|U0BO|T10:15/);
    expect(await store.respondents(TEAM, 'spoergeskema-1')).toEqual([]);
    expect(await store.hasAnswered(TEAM, 'spoergeskema-1', ['anna', 'bo', 'cy'])).toEqual(new Set(['anna', 'bo']));
    expect(await store.namedReplies(TEAM, 'spoergeskema-1')).toEqual([]);
  });

  it('takes one anonymous reply per person: a second one (double click or change) is refused', async () => {
    const { store } = subject();
    await store.recordReply(TEAM, anonymous());
    expect(await store.recordReply(TEAM, anonymous())).toBe('anonymousAlreadyAnswered');
    expect(await store.recordReply(TEAM, anonymous(anna, { tryghed: '1' }))).toBe('anonymousAlreadyAnswered');
    expect(await store.anonymousReplies(TEAM, 'spoergeskema-1')).toHaveLength(1);
  });
});

eachStore('ReplyStore: retention', (subject) => {
  it('deletes replies older than the retention cut-off, named and anonymous, and nothing newer', async () => {
    const { store } = subject();
    await store.recordReply(TEAM, reply({ at: '2025-09-01T10:00:00.000Z' }));
    await store.recordReply(TEAM, reply({ respondent: bo, at: '2026-09-01T10:00:00.000Z' }));
    await store.recordReply(TEAM, { ...anonymous(anna), day: '2025-09-02' });
    await store.recordReply(TEAM, { ...anonymous(bo), day: '2026-09-02' });
    expect(await store.deleteRepliesBefore(TEAM, new Date('2026-01-01T00:00:00Z'))).toBe(2);
    expect((await store.namedReplies(TEAM, 'tema-1-1')).map((r) => r.respondent.userId)).toEqual(['bo']);
    expect(await store.respondents(TEAM, 'tema-1-1')).toEqual(['bo']);
    expect((await store.anonymousReplies(TEAM, 'spoergeskema-1')).map((r) => r.day)).toEqual(['2026-09-02']);
    expect(await store.deleteRepliesBefore(TEAM, new Date('2026-01-01T00:00:00Z'))).toBe(0);
  });
});
