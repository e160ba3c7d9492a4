// `sparring export` and `sparring erase` against Redis (store and outbox), and once through the real bin on the embedded store.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import type { DeadLetter, NewWorkItem, Outbox, PersonExport, ReplyToRecord, StoreImplementation, TeamRef, WorkItem } from '../../src/app/ports.ts';
import { runCli } from '../../src/cli/run.ts';
import { EmbeddedStore } from '../../src/store/embedded/embedded-store.ts';
import { connectOutbox } from '../../src/store/redis/redis-delivery.ts';
import { countingRandom, redisStore, type StoreUnderTest } from '../support/stores.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TEAM: TeamRef = { tenant: 'kolding', team: 'skole-syd' };

const reply = (userId: string, occurrenceId: string, anonymous = false): ReplyToRecord => ({
  occurrenceId,
  respondent: { userId, platform: 'slack', platformUserId: `U-${userId}` },
  answers: { outcome: 'answered', values: { gjort: `${userId} prøvede noget nyt` } },
  at: '2026-10-05T09:00:00.000Z',
  anonymous,
  day: '2026-10-05',
});

async function seed(store: StoreImplementation) {
  await store.recordReply(TEAM, reply('anna', 'laeringssamtale-1'));
  await store.recordReply(TEAM, reply('bo', 'laeringssamtale-1'));
  await store.recordReply(TEAM, reply('anna', 'spoergeskema-1', true));
  await store.saveConversation(TEAM, { platform: 'slack', key: 'anna', reference: { channel: 'D123' } });
}

/** Anna also in the ports the first seed leaves out: her member entry, a document, hours, the playground's transcript. */
async function seedTheRest(store: StoreImplementation) {
  await store.saveMember(TEAM, { userId: 'anna', name: 'Anna', email: 'anna@example.org', roles: ['leader'] });
  await store.saveMember(TEAM, { userId: 'bo', name: 'Bo', roles: ['staff'] });
  await store.saveDocument(TEAM, { kind: 'actionPlan', occurrenceId: 'handleplan-1', authorId: 'anna', fields: { maal: 'Mere leg' }, status: 'saved', at: '2026-10-01T09:00:00.000Z' });
  await store.addHours(TEAM, { userId: 'anna', occurrenceId: 'laeringssamtale-1', role: 'leader', hours: 2, at: '2026-10-05T11:00:00.000Z' });
  await store.saveLocalMessage(TEAM, 'anna', { id: 'local-1', at: '2026-10-05T08:00:00.000Z', card: { type: 'AdaptiveCard' }, text: 'Hej Anna' });
  await store.saveLocalMail(TEAM, { id: 'mail-1', at: '2026-10-05T08:00:00.000Z', to: 'anna@example.org', subject: 'Plan', text: 'Hej' });
}

/** A person with ids found nowhere else, so a leftover cannot hide behind a common word. */
const CECILIE = { userId: 'u-cecilie-9k2', email: 'cecilie.k9@example.org' };
const cecilieItem = (occurrenceId: string, answer = 'ingen'): NewWorkItem => ({
  team: TEAM,
  occurrenceId,
  recipient: CECILIE.userId,
  card: { name: 'reflection-prompt', data: { title: 'Hvad gjorde du?', answer }, locale: 'da', timeZone: 'Europe/Copenhagen' },
});

/** Cecilie in the store and in the outbox in every state (sent, dead, pending, a mail to her address), beside a colleague and the channel. */
async function seedCecilie(store: StoreImplementation, outbox: Outbox) {
  await store.saveMember(TEAM, { userId: CECILIE.userId, name: 'Cecilie', email: CECILIE.email, roles: ['staff'] });
  await store.saveConversation(TEAM, { platform: 'teams', key: CECILIE.userId, reference: { user: { id: `29:${CECILIE.userId}` } } });
  await store.recordReply(TEAM, reply(CECILIE.userId, 'laeringssamtale-1'));
  const mail: NewWorkItem = { team: TEAM, occurrenceId: 'pre-visit:besoeg-1', recipient: `mail:${CECILIE.email}`, mail: { to: CECILIE.email, subject: 'Plan', text: 'Hej Cecilie' } };
  const others: NewWorkItem[] = [
    { ...cecilieItem('refleksion-1'), recipient: 'bo' },
    { team: TEAM, occurrenceId: 'agenda:1', recipient: 'channel:19:skole-syd', card: { name: 'sparring-agenda', data: { questions: ['Hvad virkede?'] }, locale: 'da', timeZone: 'Europe/Copenhagen' } },
  ];
  await outbox.enqueue([cecilieItem('refleksion-1', 'Jeg var bange'), cecilieItem('refleksion-2'), cecilieItem('refleksion-3'), mail, ...others], Date.parse('2026-10-05T08:00:00Z'));
  const taken = await outbox.take(Date.parse('2026-10-05T08:00:00Z'), 10, 60_000);
  const find = (occurrenceId: string, recipient = CECILIE.userId) => taken.find((i) => i.occurrenceId === occurrenceId && i.recipient === recipient)!;
  await outbox.markSent(find('refleksion-1'), 'm-1', Date.parse('2026-10-05T08:00:01Z'));
  await outbox.deadLetter(find('refleksion-2'), '403 blocked by user', Date.parse('2026-10-05T08:00:02Z'));
  await outbox.deadLetter(find('refleksion-1', 'bo'), '403 blocked by user', Date.parse('2026-10-05T08:00:03Z'));
}

let subject: StoreUnderTest;
let outbox: ReturnType<typeof connectOutbox>;
beforeEach(async () => {
  subject = await redisStore();
  outbox = connectOutbox(inject('redisUrl'), subject.namespace);
  await seed(subject.store);
});
afterEach(async () => {
  await subject.cleanup();
  await outbox.close();
});

async function sparring(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(
    argv,
    { out: { write: (s: string) => (out += s) }, err: { write: (s: string) => (err += s) } },
    {
      openStore: () => subject.reopen(),
      openOutbox: () => connectOutbox(inject('redisUrl'), subject.namespace),
    },
  );
  return { code, out, err };
}

describe('sparring export', () => {
  it('prints everything about the person as JSON, and nothing of a colleague’s', async () => {
    const { code, out, err } = await sparring('export', '--team', 'skole-syd', '--user', 'anna');
    expect({ code, err }).toEqual({ code: 0, err: '' });
    const data = JSON.parse(out) as PersonExport;
    expect(data.replies.map((r) => [r.occurrenceId, r.values])).toEqual([['laeringssamtale-1', { gjort: 'anna prøvede noget nyt' }]]);
    expect(data.answeredAnonymously).toEqual(['spoergeskema-1']);
    expect(data.conversations).toEqual([{ platform: 'slack', key: 'anna', reference: { channel: 'D123' } }]);
    expect(out).not.toContain('bo prøvede');
  });

  it('has one field per part of the store’s registry, named as the part', async () => {
    await seedTheRest(subject.store);
    const data = JSON.parse((await sparring('export', '--team', 'skole-syd', '--user', 'anna')).out) as PersonExport;
    expect(Object.keys(data)).toEqual(['team', 'userId', ...subject.store.personalDataParts().map((p) => p.name), 'outbox', 'deadLetters']);
    expect(data.member).toEqual({ userId: 'anna', name: 'Anna', email: 'anna@example.org', roles: ['leader'] });
    expect(data.documents).toHaveLength(1);
    expect(data.hours).toHaveLength(1);
    expect(data.localTranscript).toEqual({ messages: [expect.objectContaining({ text: 'Hej Anna' })], mails: [expect.objectContaining({ to: 'anna@example.org' })] });
  });

  it('lists the outbox items addressed to the person (by user id and by mail address) and their dead letters, and no one else’s', async () => {
    await seedCecilie(subject.store, outbox);
    const { code, out } = await sparring('export', '--team', 'skole-syd', '--user', CECILIE.userId);
    expect(code).toBe(0);
    const data = JSON.parse(out) as { outbox: WorkItem[]; deadLetters: DeadLetter[] };
    expect(data.outbox.map((i) => [i.occurrenceId, i.recipient, i.state]).sort()).toEqual([
      ['pre-visit:besoeg-1', `mail:${CECILIE.email}`, 'pending'],
      ['refleksion-1', CECILIE.userId, 'sent'],
      ['refleksion-2', CECILIE.userId, 'dead'],
      ['refleksion-3', CECILIE.userId, 'pending'],
    ]);
    expect(data.outbox.find((i) => i.recipient.startsWith('mail:'))?.mail).toEqual({ to: CECILIE.email, subject: 'Plan', text: 'Hej Cecilie' });
    expect(data.deadLetters).toEqual([expect.objectContaining({ occurrenceId: 'refleksion-2', recipient: CECILIE.userId, reason: '403 blocked by user' })]);
    expect(out).not.toContain('"bo"');
    expect(out).not.toContain('channel:');
  });
});

describe('sparring erase', () => {
  it('removes the person’s data, says what it removed, and leaves the anonymous answers and their markers', async () => {
    const { code, out } = await sparring('erase', '--team', 'skole-syd', '--user', 'anna', '--locale', 'en');
    expect(code).toBe(0);
    expect(out).toContain('Erased about anna in kolding/skole-syd:');
    expect(out).toContain('  replies: 1');
    expect(out).toContain('  markers of anonymous replies: 0');
    expect(out).toContain('  conversation references: 1');
    const after = JSON.parse((await sparring('export', '--team', 'skole-syd', '--user', 'anna')).out) as PersonExport;
    expect(after.replies).toEqual([]);
    expect(after.answeredAnonymously).toEqual(['spoergeskema-1']);
    expect(await subject.store.anonymousReplies(TEAM, 'spoergeskema-1')).toHaveLength(1);
    expect(await subject.store.respondents(TEAM, 'laeringssamtale-1')).toEqual(['bo']);
  });

  it('lists every part it erased: the report’s own lines, then the other parts by name', async () => {
    await seedTheRest(subject.store);
    const { code, out } = await sparring('erase', '--team', 'skole-syd', '--user', 'anna', '--locale', 'en');
    expect(code).toBe(0);
    expect(out).toContain('  documents now without an author: 1');
    expect(out).toContain('  hours entries: 1');
    expect(out.endsWith('  localTranscript: 2\n  member: 1\n  outbox: 0\n  deadLetters: 0\n')).toBe(true);
    const after = JSON.parse((await sparring('export', '--team', 'skole-syd', '--user', 'anna')).out) as PersonExport;
    expect(after).toMatchObject({ member: null, documents: [], hours: [], localTranscript: { messages: [], mails: [] } });
    expect((await subject.store.members(TEAM)).map((m) => m.userId)).toEqual(['bo']);
  });

  it('removes the person’s outbox items and dead letters too: afterwards no key of the namespace and no dead letter holds their id or address', async () => {
    await seedCecilie(subject.store, outbox);
    expect(await subject.dump()).toContain(CECILIE.email);
    const { code, out } = await sparring('erase', '--team', 'skole-syd', '--user', CECILIE.userId, '--locale', 'en');
    expect(code).toBe(0);
    expect(out).toContain('  member: 1\n  outbox: 4\n  deadLetters: 1\n');
    const left = await subject.dump();
    expect(left.toLowerCase()).not.toContain('cecilie');
    expect(left).not.toContain('cecilie.k9%40example.org');
    // The colleague's dead letter and item, and the channel's post, stay.
    expect((await outbox.deadLetters(TEAM)).map((l) => l.recipient)).toEqual(['bo']);
    expect(await outbox.get(TEAM, 'agenda:1', 'channel:19:skole-syd')).toMatchObject({ state: 'pending' });
    expect(await outbox.pending()).toBe(1);
  });

  it('names the known teams when the team is unknown, and changes nothing', async () => {
    const { code, out, err } = await sparring('erase', '--team', 'skole-nord', '--user', 'anna');
    expect({ code, out }).toEqual({ code: 2, out: '' });
    expect(err).toBe('ukendt team »skole-nord«; kendte teams: skole-syd\n');
    expect(await subject.store.respondents(TEAM, 'laeringssamtale-1')).toEqual(['anna', 'bo']);
  });

  it('asks for --tenant when two tenants have a team of that id', async () => {
    await subject.store.recordReply({ tenant: 'vejle', team: 'skole-syd' }, reply('anna', 'x'));
    expect((await sparring('erase', '--team', 'skole-syd', '--user', 'anna')).err).toContain('kolding, vejle');
    const { code, out } = await sparring('erase', '--team', 'skole-syd', '--tenant', 'vejle', '--user', 'anna');
    expect(code).toBe(0);
    expect(out).toContain('i vejle/skole-syd');
    expect(await subject.store.respondents(TEAM, 'laeringssamtale-1')).toEqual(['anna', 'bo']);
  });

  it('says how to use it when --user is missing', async () => {
    expect(await sparring('erase', '--team', 'skole-syd')).toEqual({ code: 2, out: '', err: 'brug: sparring erase --team TEAM [--tenant TENANT] --user BRUGER\n' });
  });
});

describe('through bin/sparring.js on the embedded store', () => {
  it('reads DATA_FILE when REDIS_URL is empty', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sparring-data-')), 'data.json');
    await seed(new EmbeddedStore(file, countingRandom()));
    const { stdout } = await promisify(execFile)('node', ['bin/sparring.js', 'export', '--team', 'skole-syd', '--user', 'bo'], {
      cwd: ROOT,
      env: { ...process.env, REDIS_URL: '', DATA_FILE: file },
    });
    expect((JSON.parse(stdout) as PersonExport).replies).toHaveLength(1);
  });
});
