// One contract for every Store: what the app relies on, run against Redis and the embedded store.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReplyToRecord, Store, TeamRef } from '../../src/app/ports.ts';
import type { Respondent } from '../../src/domain/replies/reply.ts';
import { STORES, type StoreUnderTest } from '../support/stores.ts';

const TEAM: TeamRef = { tenant: 'tenant-1', team: '19:abc{weird}@thread.tacv2' };
const OTHER: TeamRef = { tenant: 'tenant-1', team: 'other-team' };
const anna: Respondent = { userId: 'anna', platform: 'teams', platformUserId: '29:anna-aad' };
const bo: Respondent = { userId: 'bo', platform: 'slack', platformUserId: 'U0BO' };

function reply(overrides: Partial<ReplyToRecord> = {}): ReplyToRecord {
  return {
    occurrenceId: 'tema-1-1',
    respondent: anna,
    answers: { outcome: 'answered', values: { legestemninger: 'Rolig leg i puderummet', stoette: 'Jeg venter' } },
    at: '2026-09-14T10:15:00.000Z',
    anonymous: false,
    day: '2026-09-14',
    ...overrides,
  };
}

const anonymous = (respondent = anna, values: Record<string, string> = { tryghed: '4' }) =>
  reply({ occurrenceId: 'spoergeskema-1', respondent, anonymous: true, answers: { outcome: 'answered', values } });

describe.each(STORES)('Store contract: %s', (_name, factory) => {
  let subject: StoreUnderTest;
  let store: Store;
  beforeEach(async () => {
    subject = await factory();
    store = subject.store;
  });
  afterEach(() => subject.cleanup());

  describe('runs and conversations', () => {
    it('keeps a run and finds it again, also after a restart', async () => {
      const run = { team: TEAM, programmeId: 'odense-science-boernehoejde', start: '2026-08-10', settings: {}, timeZone: 'Europe/Copenhagen', country: 'DK' as const, locale: 'da' as const, active: true, members: [{ userId: 'anna', roles: ['leader' as const] }] };
      await store.saveRun(run);
      expect(await store.getRun(TEAM)).toEqual(run);
      expect(await subject.reopen().getRun(TEAM)).toEqual(run);
      expect(await store.listRuns()).toEqual([run]);
      expect(await store.getRun(OTHER)).toBeUndefined();
    });

    it('keeps where to reach a person', async () => {
      const ref = { platform: 'teams' as const, key: 'anna', reference: { serviceUrl: 'https://smba.example/', conversation: { id: 'a:1' } } };
      await store.saveConversation(TEAM, ref);
      expect(await store.getConversation(TEAM, 'anna')).toEqual(ref);
      expect(await store.getConversation(TEAM, 'bo')).toBeUndefined();
    });
  });

  describe('named replies', () => {
    it('stores one reply per person and occurrence: the same answers again change nothing', async () => {
      expect(await store.recordReply(TEAM, reply())).toBe('created');
      const resent = reply({ answers: { outcome: 'answered', values: { stoette: 'Jeg venter', legestemninger: 'Rolig leg i puderummet' } }, at: '2026-09-14T10:15:09.000Z' });
      expect(await store.recordReply(TEAM, resent)).toBe('duplicate');
      const stored = await store.namedReplies(TEAM, 'tema-1-1');
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatchObject({ respondent: anna, at: '2026-09-14T10:15:00.000Z', history: [] });
    });

    it('stores one reply when the same submit arrives many times at once (double clicks, retries, replicas)', async () => {
      const stores = subject.replica ? [store, subject.replica(), subject.replica()] : [store];
      const outcomes = await Promise.all(Array.from({ length: 30 }, (_, i) => stores[i % stores.length]!.recordReply(TEAM, reply())));
      expect(outcomes.filter((o) => o === 'created')).toHaveLength(1);
      expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(29);
      expect(await store.namedReplies(TEAM, 'tema-1-1')).toHaveLength(1);
    });

    it('replaces a reply that a person edits, keeping the earlier version', async () => {
      await store.recordReply(TEAM, reply());
      const edited = reply({ answers: { outcome: 'answered', values: { legestemninger: 'Vild leg på legepladsen' } }, at: '2026-09-15T08:00:00.000Z' });
      expect(await store.recordReply(TEAM, edited)).toBe('updated');
      const [stored] = await store.namedReplies(TEAM, 'tema-1-1');
      expect(stored?.values).toEqual({ legestemninger: 'Vild leg på legepladsen' });
      expect(stored?.history).toEqual([{ outcome: 'answered', values: reply().answers.values, at: '2026-09-14T10:15:00.000Z' }]);
    });

    it('keeps teams and occurrences apart, and knows who has answered', async () => {
      await store.recordReply(TEAM, reply());
      await store.recordReply(TEAM, reply({ respondent: bo }));
      await store.recordReply(OTHER, reply({ respondent: bo, occurrenceId: 'tema-1-2' }));
      expect(await store.respondents(TEAM, 'tema-1-1')).toEqual(['anna', 'bo']);
      expect(await store.respondents(OTHER, 'tema-1-1')).toEqual([]);
      expect((await store.namedReplies(OTHER, 'tema-1-2')).map((r) => r.respondent.userId)).toEqual(['bo']);
      expect(await store.listTeams()).toEqual(expect.arrayContaining([TEAM, OTHER]));
    });
  });

  describe('anonymous replies', () => {
    it('stores the answers with the day only, and who answered apart from them', async () => {
      expect(await store.recordReply(TEAM, anonymous(anna, { tryghed: '4' }))).toBe('created');
      expect(await store.recordReply(TEAM, anonymous(bo, { tryghed: '2' }))).toBe('created');
      const answers = await store.anonymousReplies(TEAM, 'spoergeskema-1');
      expect(answers.map((a) => a.values['tryghed']).sort()).toEqual(['2', '4']);
      for (const a of answers) expect(Object.keys(a).sort()).toEqual(['day', 'occurrenceId', 'outcome', 'values']);
      expect(JSON.stringify(answers)).not.toMatch(/anna|bo|29:|U0BO|T10:15/);
      expect(await store.respondents(TEAM, 'spoergeskema-1')).toEqual(['anna', 'bo']);
      expect(await store.namedReplies(TEAM, 'spoergeskema-1')).toEqual([]);
    });

    it('takes one anonymous reply per person: a second one (double click or change) is refused', async () => {
      await store.recordReply(TEAM, anonymous());
      expect(await store.recordReply(TEAM, anonymous())).toBe('anonymousAlreadyAnswered');
      expect(await store.recordReply(TEAM, anonymous(anna, { tryghed: '1' }))).toBe('anonymousAlreadyAnswered');
      expect(await store.anonymousReplies(TEAM, 'spoergeskema-1')).toHaveLength(1);
    });
  });

  describe('documents and hours', () => {
    it('keeps the latest version of a draft', async () => {
      const draft = { kind: 'idoArt' as const, occurrenceId: 'idoart-1', authorId: 'konsulent', fields: { intention: 'At samle op' }, status: 'draft' as const, at: '2026-11-01T09:00:00.000Z' };
      await store.saveDocument(TEAM, draft);
      await store.saveDocument(TEAM, { ...draft, status: 'approved' });
      expect(await store.getDocument(TEAM, 'idoArt', 'idoart-1')).toEqual({ ...draft, status: 'approved' });
      expect(await store.getDocument(TEAM, 'actionPlan', 'idoart-1')).toBeUndefined();
    });

    it('adds up a ledger of hours', async () => {
      await store.addHours(TEAM, { userId: 'anna', occurrenceId: 'sparring:1', role: 'leader', hours: 1.5, at: '2026-10-01T12:00:00.000Z' });
      await store.addHours(TEAM, { userId: 'bo', occurrenceId: 'sparring:1', role: 'staff', hours: 1, at: '2026-10-01T12:00:00.000Z' });
      expect((await store.hours(TEAM)).reduce((sum, h) => sum + h.hours, 0)).toBe(2.5);
    });
  });

  describe('the playground’s conversations and mails', () => {
    it('keeps messages by conversation in the order posted, a replaced card in place, and the sent mails', async () => {
      const card = (text: string) => ({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text }] });
      await store.saveLocalMessage(TEAM, 's1', { id: 'local-b', at: '2026-09-07T08:00:01.000Z', card: card('anden'), text: 'anden' });
      await store.saveLocalMessage(TEAM, 's1', { id: 'local-a', at: '2026-09-07T08:00:00.000Z', card: card('første'), text: 'første' });
      await store.saveLocalMessage(TEAM, 's1', { id: 'local-a', at: '2026-09-07T08:00:00.000Z', updatedAt: '2026-09-07T09:00:00.000Z', card: card('besvaret'), text: 'besvaret' });
      await store.saveLocalMessage(TEAM, 'channel', { id: 'local-c', at: '2026-09-07T08:00:02.000Z', card: card('kanal'), text: 'kanal' });
      expect((await subject.reopen().localMessages(TEAM, 's1')).map((m) => m.text)).toEqual(['besvaret', 'anden']);
      expect(await store.localMessages(TEAM, 's2')).toEqual([]);
      await store.saveLocalMail(TEAM, { id: 'mail-1', at: '2026-09-30T07:00:00.000Z', to: 'mette@example.org', subject: 'Plan', text: 'Hej', ics: 'BEGIN:VCALENDAR' });
      expect(await subject.reopen().localMails(TEAM)).toEqual([expect.objectContaining({ subject: 'Plan', ics: 'BEGIN:VCALENDAR' })]);
    });
  });

  describe('data rights', () => {
    async function annaEverywhere() {
      await store.recordReply(TEAM, reply());
      await store.recordReply(TEAM, reply({ answers: { outcome: 'answered', values: { legestemninger: 'ændret' } }, at: '2026-09-16T08:00:00.000Z' }));
      await store.recordReply(TEAM, reply({ respondent: bo }));
      await store.recordReply(TEAM, anonymous(anna));
      await store.recordReply(TEAM, anonymous(bo, { tryghed: '5' }));
      await store.saveConversation(TEAM, { platform: 'teams', key: 'anna', reference: { id: 'a' } });
      await store.saveDocument(TEAM, { kind: 'actionPlan', occurrenceId: 'handleplan-1', authorId: 'anna', fields: { maal: 'Mere leg' }, status: 'saved', at: '2026-10-01T09:00:00.000Z' });
      await store.addHours(TEAM, { userId: 'anna', occurrenceId: 'x', role: 'leader', hours: 2, at: '2026-10-01T09:00:00.000Z' });
    }

    it('exports everything about a person, and no one else’s answers', async () => {
      await annaEverywhere();
      const data = await store.exportPerson(TEAM, 'anna');
      expect(data.replies).toHaveLength(1);
      expect(data.replies[0]?.history).toHaveLength(1);
      expect(data.answeredAnonymously).toEqual(['spoergeskema-1']);
      expect(data.conversations).toHaveLength(1);
      expect(data.documents).toHaveLength(1);
      expect(data.hours).toHaveLength(1);
      expect(JSON.stringify(data)).not.toContain('U0BO');
    });

    it('erases a person: their replies, markers, reference and hours go; anonymous answers and colleagues stay', async () => {
      await annaEverywhere();
      expect(await store.erasePerson(TEAM, 'anna')).toEqual({ replies: 1, anonymousMarkers: 1, conversations: 1, documentsUnlinked: 1, hoursEntries: 1 });
      const after = await store.exportPerson(TEAM, 'anna');
      expect(after).toEqual({ team: TEAM, userId: 'anna', replies: [], answeredAnonymously: [], conversations: [], documents: [], hours: [] });
      expect(await store.respondents(TEAM, 'tema-1-1')).toEqual(['bo']);
      expect(await store.respondents(TEAM, 'spoergeskema-1')).toEqual(['bo']);
      expect(await store.anonymousReplies(TEAM, 'spoergeskema-1')).toHaveLength(2);
      expect((await store.getDocument(TEAM, 'actionPlan', 'handleplan-1'))?.authorId).toBeNull();
      expect(await subject.reopen().exportPerson(TEAM, 'anna')).toEqual(after);
    });

    it('deletes replies older than the retention cut-off, named and anonymous, and nothing newer', async () => {
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
});
