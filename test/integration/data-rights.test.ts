// `sparring export` and `sparring erase` against Redis, and once through the real bin on the embedded store.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PersonExport, ReplyToRecord, StoreImplementation, TeamRef } from '../../src/app/ports.ts';
import { runCli } from '../../src/cli/run.ts';
import { EmbeddedStore } from '../../src/store/embedded/embedded-store.ts';
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

let subject: StoreUnderTest;
beforeEach(async () => {
  subject = await redisStore();
  await seed(subject.store);
});
afterEach(() => subject.cleanup());

async function sparring(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(
    argv,
    { out: { write: (s: string) => (out += s) }, err: { write: (s: string) => (err += s) } },
    {
      openStore: () => subject.reopen(),
      openOutbox: () => {
        throw new Error('not used here');
      },
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
    expect(Object.keys(data)).toEqual(['team', 'userId', ...subject.store.personalDataParts().map((p) => p.name)]);
    expect(data.member).toEqual({ userId: 'anna', name: 'Anna', email: 'anna@example.org', roles: ['leader'] });
    expect(data.documents).toHaveLength(1);
    expect(data.hours).toHaveLength(1);
    expect(data.localTranscript).toEqual({ messages: [expect.objectContaining({ text: 'Hej Anna' })], mails: [expect.objectContaining({ to: 'anna@example.org' })] });
  });
});

describe('sparring erase', () => {
  it('removes the person’s data, says what it removed, and leaves the anonymous answers', async () => {
    const { code, out } = await sparring('erase', '--team', 'skole-syd', '--user', 'anna', '--locale', 'en');
    expect(code).toBe(0);
    expect(out).toContain('Erased about anna in kolding/skole-syd:');
    expect(out).toContain('  replies: 1');
    expect(out).toContain('  markers of anonymous replies: 1');
    expect(out).toContain('  conversation references: 1');
    const after = JSON.parse((await sparring('export', '--team', 'skole-syd', '--user', 'anna')).out) as PersonExport;
    expect(after.replies).toEqual([]);
    expect(after.answeredAnonymously).toEqual([]);
    expect(await subject.store.anonymousReplies(TEAM, 'spoergeskema-1')).toHaveLength(1);
    expect(await subject.store.respondents(TEAM, 'laeringssamtale-1')).toEqual(['bo']);
  });

  it('lists every part it erased: the report’s own lines, then the other parts by name', async () => {
    await seedTheRest(subject.store);
    const { code, out } = await sparring('erase', '--team', 'skole-syd', '--user', 'anna', '--locale', 'en');
    expect(code).toBe(0);
    expect(out).toContain('  documents now without an author: 1');
    expect(out).toContain('  hours entries: 1');
    expect(out.endsWith('  localTranscript: 2\n  member: 1\n')).toBe(true);
    const after = JSON.parse((await sparring('export', '--team', 'skole-syd', '--user', 'anna')).out) as PersonExport;
    expect(after).toMatchObject({ member: null, documents: [], hours: [], localTranscript: { messages: [], mails: [] } });
    expect((await subject.store.members(TEAM)).map((m) => m.userId)).toEqual(['bo']);
  });

  it('names the known teams when the team is unknown, and changes nothing', async () => {
    const { code, out, err } = await sparring('erase', '--team', 'skole-nord', '--user', 'anna');
    expect({ code, out }).toEqual({ code: 2, out: '' });
    expect(err).toBe('ukendt team "skole-nord"; kendte teams: skole-syd\n');
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
