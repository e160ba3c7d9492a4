// The embedded store on the disk: what it writes reaches the disk before it is acknowledged (its journal
// line synced, a rewrite's file and folder synced), the version a rewrite replaces is kept as
// `<DATA_FILE>.bak`, and a damaged data file or journal line stops the real start-up (`node bin/main.js`)
// with one line naming the file and what to restore from. The syncs are seen with strace on a real
// process: a power cut cannot be staged here, but a sync that is never asked for is seen missing.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HoursEntry, TeamRef } from '../../src/app/ports.ts';
import { EmbeddedStore } from '../../src/store/embedded/embedded-store.ts';
import { countingRandom } from '../support/stores.ts';
import { waitFor } from '../support/wait-for.ts';

const ROOT = join(import.meta.dirname, '../..');
const TEAM: TeamRef = { tenant: 'odense', team: 'solsikken' };
const hours = (userId: string): HoursEntry => ({ userId, occurrenceId: 'tema-1-1', role: 'staff', hours: 1.5, at: '2026-09-01T10:00:00.000Z' });

let dir: string;
let file: string;
let bots: ChildProcess[];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sparring-embedded-'));
  file = join(dir, 'data.json');
  bots = [];
});
afterEach(async () => {
  for (const bot of bots) if (bot.exitCode === null && bot.signalCode === null) bot.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** `node bin/main.js` on the embedded store (the playground, no platform), as an operator starts it. */
function startBot(): { child: ChildProcess; stdout: () => string; stderr: () => string; exited: Promise<number | null> } {
  let stdout = '';
  let stderr = '';
  const env = { PATH: process.env['PATH'] ?? '', PORT: '0', HOST: '127.0.0.1', DATA_FILE: file, LOG_FORMAT: 'json' };
  const child = spawn(process.execPath, ['bin/main.js'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  bots.push(child);
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** A data file written twice, so that its first version is the backup. */
async function twoVersions() {
  const first = new EmbeddedStore(file, countingRandom(1));
  await first.addHours(TEAM, hours('anna'));
  await first.close();
  const second = new EmbeddedStore(file, countingRandom(2));
  await second.addHours(TEAM, hours('bo'));
  await second.close();
}

describe('the embedded store on the disk', () => {
  it('keeps the version a rewrite replaces as DATA_FILE.bak, and after a removal only the new one', async () => {
    await twoVersions();
    expect(readFileSync(file, 'utf8')).toContain('"bo"');
    expect(readFileSync(`${file}.bak`, 'utf8')).toContain('"anna"');
    expect(readFileSync(`${file}.bak`, 'utf8')).not.toContain('"bo"');

    // An erasure must leave the disk at once: the backup no longer holds what it removed either.
    const store = new EmbeddedStore(file, countingRandom(3));
    await store.saveMember(TEAM, { userId: 'cecilie', name: 'Cecilie Holm', roles: ['staff'] });
    await store.close();
    expect(readFileSync(file, 'utf8')).toContain('Cecilie Holm');
    const reopened = new EmbeddedStore(file, countingRandom(4));
    expect(await reopened.removeMember(TEAM, 'cecilie')).toBe(true);
    await reopened.close();
    expect(readFileSync(file, 'utf8')).not.toContain('Cecilie Holm');
    expect(readFileSync(`${file}.bak`, 'utf8')).not.toContain('Cecilie Holm');
  });

  it('syncs each journal line, and a rewrite’s file before its rename and its folder after', async () => {
    // A real process under strace; -y names each descriptor's file, so the calls can be told apart.
    const script = `
      import { EmbeddedStore } from './src/store/embedded/embedded-store.ts';
      const store = new EmbeddedStore(${JSON.stringify(file)}, () => 0.5);
      for (const userId of ['anna', 'bo', 'cecilie']) await store.addHours(${JSON.stringify(TEAM)}, { ...${JSON.stringify(hours('x'))}, userId });
      await store.close();`;
    const { stderr } = await promisify(execFile)(
      'strace',
      ['-f', '-qq', '-y', '-e', 'trace=fsync,fdatasync,rename,renameat,renameat2', process.execPath, '--import', 'tsx', '--input-type=module', '-e', script],
      {
        cwd: ROOT,
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    const calls = stderr
      .split('\n')
      .map((line) => line.replace(/^\[pid\s+\d+\]\s*/, ''))
      .filter((line) => line.includes(dir));
    const journalSyncs = calls.filter((line) => /^f(data)?sync\(\d+<[^>]*data\.json\.journal>\)/.test(line));
    expect(journalSyncs, calls.join('\n')).toHaveLength(3);
    // The close's rewrite: the temporary file synced, renamed into place, then the folder synced.
    const tmpSync = calls.findIndex((line) => /^fsync\(\d+<[^>]*data\.json\.\d+\.tmp>\)/.test(line));
    const rename = calls.findIndex((line) => /^rename(at2?)?\(.*data\.json\.\d+\.tmp".*data\.json"/.test(line));
    const folderSync = calls.findIndex((line) => line.startsWith('fsync(') && line.includes(`<${dir}>`));
    expect(tmpSync, calls.join('\n')).toBeGreaterThanOrEqual(0);
    expect(rename).toBeGreaterThan(tmpSync);
    expect(folderSync).toBeGreaterThan(rename);
    expect(readFileSync(file, 'utf8')).toContain('"cecilie"');
  }, 120_000);

  it('stops the start-up on a damaged data file with one line naming it and the backup, and starts once it is restored', async () => {
    await twoVersions();
    const damaged = readFileSync(file, 'utf8').slice(0, 40);
    writeFileSync(file, damaged);

    const bot = startBot();
    expect(await bot.exited).not.toBe(0);
    const lines = bot.stderr().trim().split('\n');
    expect(lines, bot.stderr()).toHaveLength(1);
    expect(lines[0]).toContain(`${file} is damaged`);
    expect(lines[0]).toContain(`restore it from ${file}.bak`);
    expect(bot.stderr()).not.toContain('    at ');
    // Nothing written over the damaged file or the backup.
    expect(readFileSync(file, 'utf8')).toBe(damaged);
    expect(readFileSync(`${file}.bak`, 'utf8')).toContain('"anna"');

    // Done as the line says: the bot starts on the backup's data.
    copyFileSync(`${file}.bak`, file);
    rmSync(`${file}.journal`, { force: true });
    const restored = startBot();
    await waitFor(() => restored.stdout().includes('Sparringsbot is running at') || `${restored.stdout()} ${restored.stderr()}`, { what: 'the start-up line' });
    restored.child.kill('SIGTERM');
    expect(await restored.exited).toBe(0);
    expect(await new EmbeddedStore(file, countingRandom(5)).hours(TEAM)).toEqual([hours('anna')]);
  }, 180_000);

  it('stops the start-up on a damaged journal line that is not the last, naming the journal and the data file', async () => {
    await twoVersions();
    const store = new EmbeddedStore(file, countingRandom(3));
    for (const userId of ['cecilie', 'dorte']) await store.addHours(TEAM, hours(userId));
    // No close, as after a crash; then the first line is damaged (a torn last line would be left out).
    const journal = `${file}.journal`;
    const lines = readFileSync(journal, 'utf8').split('\n');
    writeFileSync(journal, [`${lines[0]!.slice(0, 20)}`, ...lines.slice(1)].join('\n'));

    const bot = startBot();
    expect(await bot.exited).not.toBe(0);
    const said = bot.stderr().trim().split('\n');
    expect(said, bot.stderr()).toHaveLength(1);
    expect(said[0]).toContain(`${journal} line 1 is damaged`);
    expect(said[0]).toContain(`${file}.bak`);
    expect(existsSync(journal)).toBe(true);
  }, 180_000);
});
