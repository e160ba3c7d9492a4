// The embedded store keeps a data file and, beside it, a journal of the changes since the file was last
// written whole: a write appends one line instead of rewriting everything. What that must not cost: a
// change lost or applied twice after a crash at any point, files of earlier releases, or a clear word
// when the journal is damaged.
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { HoursEntry, ReplyToRecord, TeamRef } from '../../src/app/ports.ts';
import { EmbeddedStore } from '../../src/store/embedded/embedded-store.ts';
import { teamIndexMember } from '../../src/store/keys.ts';
import { DataFileDamagedError } from '../../src/store/embedded/embedded-data.ts';
import { countingRandom } from '../support/stores.ts';

const TEAM: TeamRef = { tenant: 'odense', team: 'solsikken' };
const hours = (userId: string): HoursEntry => ({ userId, occurrenceId: 'tema-1-1', role: 'staff', hours: 1.5, at: '2026-09-01T10:00:00.000Z' });
const anonymous = (n: number): ReplyToRecord => ({
  occurrenceId: 'spoergeskema-1',
  respondent: { userId: `u-${n}`, platform: 'teams', platformUserId: `29:u-${n}` },
  answers: { outcome: 'answered', values: { tanker: `Svar ${n}` } },
  at: '2026-08-20T09:00:00.000Z',
  anonymous: true,
  day: '2026-08-20',
});
const named = (userId: string, text: string): ReplyToRecord => ({
  ...anonymous(0),
  occurrenceId: 'tema-1-1',
  respondent: { userId, platform: 'teams', platformUserId: `29:${userId}` },
  answers: { outcome: 'answered', values: { legestemninger: text } },
  anonymous: false,
});

let file: string;
let journal: string;
beforeEach(() => {
  file = join(mkdtempSync(join(tmpdir(), 'sparring-journal-')), 'data.json');
  journal = `${file}.journal`;
});
const open = (seed = 1) => new EmbeddedStore(file, countingRandom(seed));

/** A store on a data file with a team of 40 already in it, and an empty journal: larger than what a test then writes. */
async function seeded(): Promise<EmbeddedStore> {
  const first = open();
  for (let n = 1; n <= 40; n++) await first.saveMember(TEAM, { userId: `staff-${n}`, name: `Medarbejder ${n}`, roles: ['staff'] });
  await first.close();
  return open(2);
}
const journalText = () => readFileSync(journal, 'utf8');

describe('the embedded store’s journal', () => {
  it('takes a write without rewriting the data file, and a restart finds every write', async () => {
    const store = await seeded();
    const before = readFileSync(file, 'utf8');
    await store.addHours(TEAM, hours('anna'));
    await store.addHours(TEAM, hours('bo'));
    expect(await store.recordReply(TEAM, named('bo', 'Vi leger ude'))).toBe('created');
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(readFileSync(journal, 'utf8')).toContain('Vi leger ude');

    // No close: as after a crash of the process.
    const reopened = open(3);
    expect((await reopened.hours(TEAM)).map((h) => h.userId)).toEqual(['anna', 'bo']);
    expect((await reopened.namedReplies(TEAM, 'tema-1-1')).map((r) => r.values)).toEqual([{ legestemninger: 'Vi leger ude' }]);
    // Opening folded the journal into the data file.
    expect(readFileSync(journal, 'utf8')).toBe('');
    expect(readFileSync(file, 'utf8')).toContain('Vi leger ude');
  });

  it('leaves out a last line cut off by a crash, and goes on from there', async () => {
    const store = await seeded();
    for (const userId of ['anna', 'bo']) await store.addHours(TEAM, hours(userId));
    expect(journalText()).toContain('"bo"');
    appendFileSync(journal, '{"s":999,"c":[{"push":["teams","odense/solsikken","hours"],"value":{"userId":"half');

    const reopened = open(3);
    expect((await reopened.hours(TEAM)).map((h) => h.userId)).toEqual(['anna', 'bo']);
    await reopened.addHours(TEAM, hours('after'));
    expect((await open(4).hours(TEAM)).map((h) => h.userId)).toEqual(['anna', 'bo', 'after']);
  });

  it('applies nothing twice when a crash came after the data file was written whole and before the journal was emptied', async () => {
    const store = await seeded();
    for (let n = 1; n <= 3; n++) await store.recordReply(TEAM, anonymous(n));
    await store.saveDocument(TEAM, { kind: 'actionPlan', occurrenceId: 'handleplan-1', authorId: 'anna', fields: { tekst: 'Plan' }, status: 'saved', at: '2026-09-01T10:00:00.000Z' });
    await store.addHours(TEAM, hours('anna'));
    const answers = (await store.anonymousReplies(TEAM, 'spoergeskema-1')).length;
    const unfolded = journalText();
    expect(unfolded).toContain('Svar 3');
    await store.close();
    // The journal as it was before the data file took it in.
    writeFileSync(journal, unfolded);

    const reopened = open(3);
    expect(answers).toBe(3);
    expect(await reopened.anonymousReplies(TEAM, 'spoergeskema-1')).toHaveLength(3);
    expect(await reopened.documentVersions(TEAM, 'actionPlan', 'handleplan-1')).toHaveLength(1);
    expect(await reopened.hours(TEAM)).toHaveLength(1);
    expect(await reopened.recordReply(TEAM, anonymous(1))).toBe('anonymousAlreadyAnswered');
  });

  it('opens a data file of a release before the journal, and writes on from it', async () => {
    const old = {
      v: 2,
      teams: {
        [teamIndexMember(TEAM)]: {
          members: [{ userId: 'anna', roles: ['leader'] }],
          conversations: {},
          named: {},
          anonymous: {
            'spoergeskema-1': {
              'old-2': { occurrenceId: 'spoergeskema-1', outcome: 'answered', values: { tanker: 'B' }, day: '2026-08-19' },
              'old-1': { occurrenceId: 'spoergeskema-1', outcome: 'answered', values: { tanker: 'A' }, day: '2026-08-19' },
            },
          },
          answered: { 'spoergeskema-1': ['marker-a', 'marker-b'] },
          respondents: {},
          userAnonymous: {},
          documents: {},
          hours: [hours('anna')],
        },
      },
    };
    writeFileSync(file, JSON.stringify(old));
    const store = open();
    expect((await store.anonymousReplies(TEAM, 'spoergeskema-1')).map((a) => a.values['tanker'])).toEqual(['B', 'A']);
    expect((await store.members(TEAM)).map((m) => m.userId)).toEqual(['anna']);
    await store.addHours(TEAM, hours('bo'));
    await store.saveMember(TEAM, { userId: 'bo', roles: ['staff'] });
    const reopened = open(2);
    expect((await reopened.hours(TEAM)).map((h) => h.userId)).toEqual(['anna', 'bo']);
    expect((await reopened.members(TEAM)).map((m) => m.userId)).toEqual(['anna', 'bo']);
    expect(await reopened.anonymousReplies(TEAM, 'spoergeskema-1')).toHaveLength(2);
  });

  it('refuses to open with a damaged line inside the journal, naming the file and the line, and changes nothing', async () => {
    const store = await seeded();
    for (const userId of ['anna', 'bo']) await store.addHours(TEAM, hours(userId));
    const damaged = `not a change\n${journalText()}`;
    writeFileSync(journal, damaged);
    const before = readFileSync(file, 'utf8');
    expect(() => open(3)).toThrow(DataFileDamagedError);
    expect(() => open(3)).toThrow(`${journal} line 1`);
    expect(journalText()).toBe(damaged);
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('leaves only the data file after closing, and an erasure leaves no trace in either file', async () => {
    const store = await seeded();
    await store.saveMember(TEAM, { userId: 'anna', name: 'Anna Ørsted', roles: ['leader'] });
    await store.addHours(TEAM, hours('staff-1'));
    expect(journalText()).toContain('Anna Ørsted');
    expect(await store.removeMember(TEAM, 'anna')).toBe(true);
    expect(readFileSync(file, 'utf8') + journalText()).not.toContain('Anna Ørsted');
    await store.addHours(TEAM, hours('staff-2'));
    await store.close();
    expect(journalText()).toBe('');
    const team = JSON.parse(readFileSync(file, 'utf8')).teams[teamIndexMember(TEAM)];
    expect(team.members).toHaveLength(40);
    expect(team.hours).toHaveLength(2);
  });
});
