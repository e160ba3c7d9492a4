// `sparring erase` on the embedded store while the server runs: the server keeps everything in memory and
// rewrites the data file at its next change, so an erase beside it would be undone. The process that has
// the store open holds `<DATA_FILE>.lock`; the CLI refuses with one line and changes nothing, and after
// the server stops the erase works and stays.
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeEach, describe, expect, it } from 'vitest';
import type { StoreImplementation, TeamRef } from '../../src/app/ports.ts';
import { exportPerson } from '../../src/cli/commands/person-data.ts';
import { DataFileInUseError } from '../../src/store/embedded/data-file-lock.ts';
import { loadConfig } from '../../src/config.ts';
import { openStore } from '../../src/store/open.ts';
import { countingRandom } from '../support/stores.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TEAM: TeamRef = { tenant: 'kolding', team: 'skole-syd' };
const ANNA = { userId: 'u-anna-7f3', email: 'anna.orsted@example.org' };
const TEST_LIMIT_MS = 60_000;

let file: string;
beforeEach(() => {
  file = join(mkdtempSync(join(tmpdir(), 'sparring-lock-')), 'data.json');
});

const open = () => openStore(loadConfig({ DATA_FILE: file }), countingRandom());

async function seed(store: StoreImplementation) {
  await store.saveMember(TEAM, { userId: ANNA.userId, name: 'Anna', email: ANNA.email, roles: ['leader'] });
  await store.saveMember(TEAM, { userId: 'bo', name: 'Bo', roles: ['staff'] });
  await store.saveConversation(TEAM, { platform: 'teams', key: ANNA.userId, reference: { user: { id: '29:anna' } } });
  await store.recordReply(TEAM, {
    occurrenceId: 'laeringssamtale-1',
    respondent: { userId: ANNA.userId, platform: 'teams', platformUserId: '29:anna' },
    answers: { outcome: 'answered', values: { gjort: 'Vi prøvede noget nyt' } },
    at: '2026-10-05T09:00:00.000Z',
    anonymous: false,
    day: '2026-10-05',
  });
}

/** The real `npx sparring`, in a process of its own, on the embedded store. */
async function sparring(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)('node', ['bin/sparring.js', ...argv], { cwd: ROOT, env: { ...process.env, REDIS_URL: '', DATA_FILE: file } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const annaIn = async (store: StoreImplementation) => JSON.stringify(await exportPerson(store, TEAM, ANNA.userId)).includes(ANNA.email);

describe('the embedded store’s data file lock', () => {
  it(
    'while a store has the file open, `sparring erase` and `export` refuse in one line and change nothing; after it closes, the erase works and stays',
    async () => {
      const server = open();
      await seed(server);
      expect(readFileSync(`${file}.lock`, 'utf8').trim()).toBe(String(process.pid));
      const before = readFileSync(file, 'utf8');

      for (const command of ['erase', 'export']) {
        const { code, stdout, stderr } = await sparring(command, '--team', 'skole-syd', '--user', ANNA.userId, '--locale', 'en');
        expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
        expect(stderr.trim().split('\n')).toEqual([
          `${file} is in use by process ${process.pid} (a running Sparringsbot): stop the server first, then run this again (if no server runs, delete ${file}.lock)`,
        ]);
      }
      expect(readFileSync(file, 'utf8')).toBe(before);
      expect(readFileSync(`${file}.lock`, 'utf8').trim()).toBe(String(process.pid));
      // The server goes on writing; Anna is still there, as nothing was erased.
      await server.addHours(TEAM, { userId: 'bo', occurrenceId: 'x', role: 'staff', hours: 1, at: '2026-10-05T11:00:00.000Z' });
      expect(await annaIn(server)).toBe(true);

      await server.close();
      expect(existsSync(`${file}.lock`)).toBe(false);
      const erased = await sparring('erase', '--team', 'skole-syd', '--user', ANNA.userId, '--locale', 'en');
      expect(erased.code).toBe(0);
      expect(erased.stdout).toContain(`Erased about ${ANNA.userId} in kolding/skole-syd:`);
      expect(existsSync(`${file}.lock`)).toBe(false);

      // The server starts again, writes, and stops: Anna does not come back.
      const restarted = open();
      expect(await annaIn(restarted)).toBe(false);
      await restarted.addHours(TEAM, { userId: 'bo', occurrenceId: 'y', role: 'staff', hours: 1, at: '2026-10-06T11:00:00.000Z' });
      await restarted.close();
      expect(readFileSync(file, 'utf8')).not.toContain(ANNA.userId);
      const again = open();
      expect((await again.members(TEAM)).map((m) => m.userId)).toEqual(['bo']);
      expect(await again.hours(TEAM)).toHaveLength(2);
      await again.close();
    },
    TEST_LIMIT_MS,
  );

  it('takes over the lock a dead process left, and refuses a living one’s without touching it', async () => {
    const dead = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => dead.on('exit', resolve));
    writeFileSync(`${file}.lock`, `${dead.pid}\n`);
    const store = open();
    expect(readFileSync(`${file}.lock`, 'utf8').trim()).toBe(String(process.pid));
    await store.close();
    expect(existsSync(`${file}.lock`)).toBe(false);

    const living = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      writeFileSync(`${file}.lock`, `${living.pid}\n`);
      expect(open).toThrow(DataFileInUseError);
      expect(open).toThrow(`in use by process ${living.pid}`);
      expect(readFileSync(`${file}.lock`, 'utf8').trim()).toBe(String(living.pid));
    } finally {
      living.kill();
    }
  });

  it('lets stores in one process share the lock (a restart in place): the file is unlocked when the last closes', async () => {
    const first = open();
    const second = open();
    await first.close();
    await first.close();
    expect(readFileSync(`${file}.lock`, 'utf8').trim()).toBe(String(process.pid));
    await second.close();
    expect(existsSync(`${file}.lock`)).toBe(false);
  });
});
